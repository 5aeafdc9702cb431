-- One row per reporting month with a used submission; Provisional or Final (rule 7).
with

used as (
    select * from {{ ref('int_submissions_selected') }}
    where is_used
),

months as (
    select
        reporting_period_start,
        max(reporting_period_end) as reporting_period_end,
        sum(case when file_type = 'Primary' then 1 else 0 end) as primary_count,
        count(*) as used_submission_count
    from used
    group by reporting_period_start
),

final as (
    select
        reporting_period_start,
        reporting_period_end,
        case
            when reporting_period_start >= {{ as_at_month_start() }} and primary_count > 0
                then 'Provisional'
            else 'Final'
        end as status,
        used_submission_count
    from months
)

select * from final
