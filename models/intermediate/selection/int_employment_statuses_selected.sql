-- Employment-status rows of used submissions, in period only (rules 4 to 6).
with

used as (
    select unique_submission_id from {{ ref('int_submissions_selected') }}
    where is_used
),

statuses as (
    select * from {{ ref('stg_iapt_v2__employment_statuses') }}
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
    inner join used
        on statuses.unique_submission_id = used.unique_submission_id
    where not statuses.is_out_of_period
)

select * from final
