-- England appears for every record-level period (month with a used submission, complete
-- quarter or year) and every KPI quarter that has a return, with the period's status.
with

record_level_periods as (

    select
        period_type,
        reporting_period_start,
        reporting_period_end,
        status
    from {{ ref('int_measure_periods_enumerated') }}

),

kpi_periods as (

    select distinct
        'quarter' as period_type,
        quarters.quarter_start as reporting_period_start,
        quarters.quarter_end as reporting_period_end,
        quarters.status
    from {{ ref('int_kpi_quarters_enumerated') }} as quarters
    inner join {{ ref('int_kpi_returns_selected') }} as kpi_returns
        on
            quarters.quarter_start = kpi_returns.quarter_start
            and quarters.status = kpi_returns.figures

),

expected as (

    select
        'record_level' as source,  -- noqa: RF04
        *
    from record_level_periods
    union all
    select
        'kpi_return' as source,  -- noqa: RF04
        *
    from kpi_periods

),

england as (

    select distinct
        source,
        period_type,
        reporting_period_start,
        reporting_period_end,
        status
    from {{ ref('fct_measures') }}
    where group_type = 'England' and breakdown = 'Total' and measure_id = 'M001'

)

select expected.*
from expected
left join england
    on
        expected.source = england.source
        and expected.period_type = england.period_type
        and expected.reporting_period_start = england.reporting_period_start
        and expected.reporting_period_end = england.reporting_period_end
        and expected.status = england.status
where england.source is null
