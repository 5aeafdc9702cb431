-- The record-level periods: every month with a used submission, and a financial
-- quarter or year only when every one of its months has one (no partial periods).
-- Provisional when any of the period's months is.
with

reporting_months as (select * from {{ ref('int_reporting_months_enumerated') }}),

months as (

    select
        cast('month' as {{ dbt.type_string() }}) as period_type,
        cast(reporting_period_start as date) as reporting_period_start,
        cast(reporting_period_end as date) as reporting_period_end,
        status,
        1 as months_expected,
        1 as months_present
    from reporting_months

),

months_in_longer_periods as (

    select
        cast('quarter' as {{ dbt.type_string() }}) as period_type,
        {{ measures_quarter_start('reporting_period_start') }} as reporting_period_start,
        reporting_period_end,
        status,
        3 as months_expected
    from months

    union all

    select
        cast('year' as {{ dbt.type_string() }}) as period_type,
        {{ measures_financial_year_start('reporting_period_start') }} as reporting_period_start,
        reporting_period_end,
        status,
        12 as months_expected
    from months

),

longer_periods as (

    select
        period_type,
        reporting_period_start,
        max(reporting_period_end) as reporting_period_end,
        case
            when sum(case when status = 'Provisional' then 1 else 0 end) > 0 then 'Provisional'
            else 'Final'
        end as status,
        max(months_expected) as months_expected,
        count(*) as months_present
    from months_in_longer_periods
    group by period_type, reporting_period_start

),

final as (

    select
        period_type,
        reporting_period_start,
        reporting_period_end,
        status,
        reporting_period_start < {{ measures_ccg_era_start() }} as is_pct_era
    from months

    union all

    select
        period_type,
        reporting_period_start,
        reporting_period_end,
        status,
        reporting_period_start < {{ measures_ccg_era_start() }} as is_pct_era
    from longer_periods
    where months_present = months_expected

)

select * from final
