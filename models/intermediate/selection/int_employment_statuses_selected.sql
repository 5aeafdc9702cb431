-- Employment-status rows of used submissions, in period only (rules 4 to 6).
with

statuses as (
    {{ in_period_rows_of_used_submissions(
        ref('stg_iapt_v2__employment_statuses'), ref('int_submissions_selected')
    ) }}
),

final as (
    select
        statuses.provider_code,
        statuses.local_patient_id,
        statuses.employment_status,
        statuses.employment_status_date,
        statuses.ssp_indicator,
        statuses.benefit_indicator,
        statuses.unique_submission_id,
        statuses.reporting_period_start
    from statuses
)

select * from final
