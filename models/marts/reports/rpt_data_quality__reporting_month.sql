{#-
    The data-quality statement's default reporting month (one row): the build's as-at
    month (fct_submission_coverage), else the latest month with record-level VODIM, else
    null (no record-level data).
-#}

with

coverage as (

    select * from {{ ref('fct_submission_coverage') }}

),

vodim as (

    select * from {{ ref('fct_data_quality_vodim') }}

),

as_at as (

    select max(reporting_period_start) as as_at_month
    from coverage
    where is_as_at_month

),

latest_record_level as (

    select max(reporting_period_start) as latest_month
    from vodim
    where source_table <> 'kpi_returns'

),

final as (

    select
        cast(coalesce(as_at.as_at_month, latest_record_level.latest_month) as date)
            as default_reporting_month
    from as_at
    cross join latest_record_level

)

select * from final
