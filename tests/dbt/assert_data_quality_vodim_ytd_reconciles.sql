-- fct_data_quality_vodim_ytd against fct_data_quality_vodim: England's month rows are
-- the sum of the providers' used rows, and each row's year to date is the sum of its
-- months from April. Returns the rows that differ.
with

ytd as (select * from {{ ref('fct_data_quality_vodim_ytd') }}),

vodim as (select * from {{ ref('fct_data_quality_vodim') }}),

used_month as (
    select
        reporting_period_start,
        source_table,
        data_item,
        sum(total_rows) as total_rows,
        sum(valid_count) as valid_count
    from vodim
    where is_used_submission and source_table <> 'kpi_returns'
    group by reporting_period_start, source_table, data_item
),

england_to_date as (
    select
        england.reporting_period_start,
        england.source_table,
        england.data_item,
        sum(used_month.total_rows) as total_rows,
        sum(used_month.valid_count) as valid_count
    from ytd as england
    inner join used_month
        on
            england.source_table = used_month.source_table
            and england.data_item = used_month.data_item
            and england.reporting_period_start >= used_month.reporting_period_start
            and england.financial_year_start <= used_month.reporting_period_start
    where england.group_type = 'England'
    group by england.reporting_period_start, england.source_table, england.data_item
),

month_differs as (
    select
        used_month.reporting_period_start,
        used_month.source_table,
        used_month.data_item,
        'England month differs from the used submissions' as problem
    from used_month
    left join ytd
        on
            used_month.reporting_period_start = ytd.reporting_period_start
            and used_month.source_table = ytd.source_table
            and used_month.data_item = ytd.data_item
            and ytd.group_type = 'England'
    where
        ytd.total_rows is null
        or ytd.total_rows <> used_month.total_rows
        or ytd.valid_count <> used_month.valid_count
),

to_date_differs as (
    select
        ytd.reporting_period_start,
        ytd.source_table,
        ytd.data_item,
        'England year to date differs from its months' as problem
    from ytd
    inner join england_to_date
        on
            ytd.reporting_period_start = england_to_date.reporting_period_start
            and ytd.source_table = england_to_date.source_table
            and ytd.data_item = england_to_date.data_item
    where
        ytd.group_type = 'England'
        and (
            ytd.ytd_total_rows <> england_to_date.total_rows
            or ytd.ytd_valid_count <> england_to_date.valid_count
        )
),

final as (
    select * from month_differs
    union all
    select * from to_date_differs
)

select * from final
