{#-
    VODIM of the record-level key data items for each reporting month and for the
    financial year to date (April to that month), at England level and per provider,
    over the used submissions only (a superseded submission would count a month twice).
    One row per (group_type, provider_code, reporting_period_start, source_table,
    data_item); provider_code is null at England. Every month with record-level data is
    a row for every item seen in the financial year, so an item with no rows in a month
    keeps its year-to-date counts (month counts 0). The data-quality statement reads it
    and applies the publication's disclosure rules (docs/data-quality.md).
-#}
{%- set counts = ['total_rows', 'valid_count', 'other_count', 'default_count',
                  'invalid_count', 'missing_count'] -%}

with

vodim as (select * from {{ ref('fct_data_quality_vodim') }}),

record_level as (

    select
        provider_code,
        reporting_period_start,
        source_table,
        data_item,
        check_type,
        {{ counts | join(',\n        ') }}
    from vodim
    where is_used_submission and source_table <> 'kpi_returns'

),

by_level as (

    select
        'Provider' as group_type,
        provider_code,
        reporting_period_start,
        source_table,
        data_item,
        check_type,
        {{ counts | join(',\n        ') }}
    from record_level

    union all

    select
        'England' as group_type,
        cast(null as {{ dbt.type_string() }}) as provider_code,
        reporting_period_start,
        source_table,
        data_item,
        check_type,
    {% for count in counts %}
        sum({{ count }}) as {{ count }}
        {{- "," if not loop.last }}
    {% endfor %}
    from record_level
    group by reporting_period_start, source_table, data_item, check_type

),

months as (

    select distinct
        reporting_period_start,
        {{ measures_financial_year_start('reporting_period_start') }} as financial_year_start
    from record_level

),

-- each (level, provider, item) in every month of each financial year it was seen in
grid as (

    select distinct
        by_level.group_type,
        by_level.provider_code,
        by_level.source_table,
        by_level.data_item,
        by_level.check_type,
        months.reporting_period_start,
        months.financial_year_start
    from by_level
    inner join months
        on
            {{ measures_financial_year_start('by_level.reporting_period_start') }}
            = months.financial_year_start

),

monthly as (

    select
        grid.group_type,
        grid.provider_code,
        grid.reporting_period_start,
        grid.financial_year_start,
        grid.source_table,
        grid.data_item,
        grid.check_type,
    {% for count in counts %}
        coalesce(by_level.{{ count }}, 0) as {{ count }}
        {{- "," if not loop.last }}
    {% endfor %}
    from grid
    left join by_level
        on
            grid.group_type = by_level.group_type
            and coalesce(grid.provider_code, '') = coalesce(by_level.provider_code, '')
            and grid.reporting_period_start = by_level.reporting_period_start
            and grid.source_table = by_level.source_table
            and grid.data_item = by_level.data_item

),

to_date as (

    select
        {% for count in counts %}
            sum({{ count }}) over (
                partition by
                    group_type, provider_code, financial_year_start, source_table, data_item
                order by reporting_period_start
                rows between unbounded preceding and current row
            ) as ytd_{{ count }},
        {% endfor %}
        *
    from monthly

),

final as (

    select
        group_type,
        provider_code,
        reporting_period_start,
        financial_year_start,
        source_table,
        data_item,
        check_type,
        {% for count in counts %}
            cast({{ count }} as bigint) as {{ count }},
        {% endfor %}
    {% for count in counts %}
        cast(ytd_{{ count }} as bigint) as ytd_{{ count }}
        {{- "," if not loop.last }}
    {% endfor %}
    from to_date
    where ytd_total_rows > 0

)

select * from final
