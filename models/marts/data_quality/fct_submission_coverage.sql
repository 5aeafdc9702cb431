{#-
    Submission coverage per reporting month, from the first month with a used submission
    to the as-at month: providers expected, providers submitting (of which the used
    submission is a Primary or a Refresh), providers missing and the coverage share.
    Expected in month M = the providers with a used submission for some month of the 12
    months ending at M (M-11 .. M): a provider counts from its first month and until 11
    months after its last one, so a provider that stops submitting shows as missing.
    docs/data-quality.md ("Submission coverage").
-#}
{%- set max_months = 1200 -%}

with

submissions as (select * from {{ ref('dim_submissions') }}),

used as (

    select
        provider_code,
        reporting_period_start,
        file_type
    from submissions
    where is_used

),

bounds as (

    select
        min(reporting_period_start) as first_month,
        {{ as_at_month_start() }} as as_at_month
    from used

),

data_range as (

    select
        first_month,
        as_at_month,
        1 + {{ dbt.datediff('first_month', 'as_at_month', 'month') }}
            as month_count
    from bounds

),

-- every month from the first used one to the as-at month, gaps included
month_offsets as (

    {{ dbt.generate_series(max_months) }}

),

months as (

    select
        cast(
            {{ dbt.dateadd('month', 'cast(month_offsets.generated_number as integer) - 1',
                           'data_range.first_month') }}
            as date
        ) as reporting_period_start,
        data_range.as_at_month
    from month_offsets
    cross join data_range
    where month_offsets.generated_number <= data_range.month_count

),

expected as (

    select distinct
        months.reporting_period_start,
        used.provider_code
    from months
    inner join used
        on
            months.reporting_period_start >= used.reporting_period_start
            and months.reporting_period_start
            < cast({{ dbt.dateadd('month', '12', 'used.reporting_period_start') }} as date)

),

provider_months as (

    select
        expected.reporting_period_start,
        expected.provider_code,
        used.file_type
    from expected
    left join used
        on
            expected.provider_code = used.provider_code
            and expected.reporting_period_start = used.reporting_period_start

),

counted as (

    select
        reporting_period_start,
        count(*) as providers_expected,
        count(file_type) as providers_submitting,
        sum(case when file_type = 'Primary' then 1 else 0 end) as providers_primary_used,
        sum(case when file_type = 'Refresh' then 1 else 0 end) as providers_refresh_used,
        sum(case when file_type is null then 1 else 0 end) as providers_missing
    from provider_months
    group by reporting_period_start

),

missing_lists as (

    select
        reporting_period_start,
        {{ dbt.listagg('provider_code', "', '", "order by provider_code") }}
            as missing_provider_codes
    from provider_months
    where file_type is null
    group by reporting_period_start

),

final as (

    select
        months.reporting_period_start,
        cast({{ dbt.last_day('months.reporting_period_start', 'month') }} as date)
            as reporting_period_end,
        months.reporting_period_start = months.as_at_month as is_as_at_month,
        cast(coalesce(counted.providers_expected, 0) as bigint) as providers_expected,
        cast(coalesce(counted.providers_submitting, 0) as bigint) as providers_submitting,
        cast(coalesce(counted.providers_primary_used, 0) as bigint) as providers_primary_used,
        cast(coalesce(counted.providers_refresh_used, 0) as bigint) as providers_refresh_used,
        cast(coalesce(counted.providers_missing, 0) as bigint) as providers_missing,
        cast(
            case
                when counted.providers_expected > 0
                    then 1.0 * counted.providers_submitting / counted.providers_expected
            end
            as decimal(18, 6)
        ) as coverage_share,
        missing_lists.missing_provider_codes
    from months
    left join counted
        on months.reporting_period_start = counted.reporting_period_start
    left join missing_lists
        on months.reporting_period_start = missing_lists.reporting_period_start

)

select * from final
