{#-
    The data-quality statement's coverage table for every possible reporting month: one
    row per (statement_month, reporting_period_start) for the 12 months ending at the
    statement month (M-11 .. M) that have a coverage row. Every month of
    fct_submission_coverage is a statement month; the statement selects the rows of its
    month and shows them latest first (docs/data-quality.md, "Submission coverage").
-#}
{%- set window_months = var('data_quality_statement').coverage_window_months -%}

with

coverage as (

    select * from {{ ref('fct_submission_coverage') }}

),

statement_months as (

    select
        reporting_period_start as statement_month,
        is_as_at_month,
        cast({{ dbt.dateadd('month', 1 - window_months, 'reporting_period_start') }} as date)
            as first_window_month
    from coverage

),

windowed as (

    select
        statement_months.statement_month,
        statement_months.is_as_at_month as is_as_at_statement_month,
        coverage.reporting_period_start,
        coverage.providers_expected,
        coverage.providers_submitting,
        coverage.providers_primary_used,
        coverage.providers_refresh_used,
        coverage.providers_missing,
        coverage.coverage_share,
        coverage.missing_provider_codes
    from statement_months
    inner join coverage
        on
            statement_months.statement_month >= coverage.reporting_period_start
            and statement_months.first_window_month <= coverage.reporting_period_start

),

final as (

    select
        statement_month,
        is_as_at_statement_month,
        reporting_period_start,
        providers_expected,
        providers_submitting,
        providers_primary_used,
        providers_refresh_used,
        providers_missing,
        coverage_share,
        missing_provider_codes
    from windowed

)

select * from final
