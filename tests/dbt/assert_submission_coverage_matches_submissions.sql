-- fct_submission_coverage against dim_submissions, recounted another way: each month's
-- providers submitting (and Primary / Refresh) are the distinct providers with a used
-- submission for it, every month with a used submission is covered, and the months run
-- without a gap to one as-at month. Returns the offending months.
with

coverage as (select * from {{ ref('fct_submission_coverage') }}),

submissions as (select * from {{ ref('dim_submissions') }}),

used_per_month as (
    select
        reporting_period_start,
        count(distinct provider_code) as providers,
        count(distinct case when file_type = 'Primary' then provider_code end) as primaries,
        count(distinct case when file_type = 'Refresh' then provider_code end) as refreshes
    from submissions
    where is_used
    group by reporting_period_start
),

bounds as (
    select
        min(reporting_period_start) as first_month,
        max(reporting_period_start) as last_month,
        count(*) as months,
        sum(case when is_as_at_month then 1 else 0 end) as as_at_months
    from coverage
),

span as (
    select
        months,
        as_at_months,
        first_month,
        1 + {{ dbt.datediff('first_month', 'last_month', 'month') }}
            as month_count
    from bounds
),

mismatched as (
    select
        coalesce(coverage.reporting_period_start, used_per_month.reporting_period_start)
            as reporting_period_start,
        'counts differ from dim_submissions' as problem
    from coverage
    full outer join used_per_month
        on coverage.reporting_period_start = used_per_month.reporting_period_start
    where
        coverage.reporting_period_start is null
        or coverage.providers_submitting <> coalesce(used_per_month.providers, 0)
        or coverage.providers_primary_used <> coalesce(used_per_month.primaries, 0)
        or coverage.providers_refresh_used <> coalesce(used_per_month.refreshes, 0)
),

gaps as (
    select
        span.first_month as reporting_period_start,
        'months are not contiguous or not one as-at month' as problem
    from span
    where
        span.months > 0
        and (span.months <> span.month_count or span.as_at_months <> 1)
),

final as (
    select * from mismatched
    union all
    select * from gaps
)

select * from final
