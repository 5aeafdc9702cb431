-- One row per PathwayID: its state from the latest used month holding it (rule 3), with
-- gender and ethnicity from IDS001 of that same submission.
with

used as (
    select unique_submission_id from {{ ref('int_submissions_selected') }}
    where is_used
),

referrals as (
    select referrals.*
    from {{ ref('stg_iapt_v2__referrals') }} as referrals
    inner join used
        on referrals.unique_submission_id = used.unique_submission_id
),

patients as (
    select patients.*
    from {{ ref('stg_iapt_v2__patients') }} as patients
    inner join used
        on patients.unique_submission_id = used.unique_submission_id
),

ranked_referrals as (
    select
        referrals.*,
        row_number() over (
            partition by referrals.pathway_id
            order by referrals.reporting_period_start desc, referrals.unique_submission_id desc
        ) as state_rank
    from referrals
),

ranked_patients as (
    -- a patient sent twice in one IDS001: the first row of the file
    select
        patients.*,
        row_number() over (
            partition by patients.unique_submission_id, patients.local_patient_id
            order by patients.source_file, patients.source_row_number
        ) as patient_rank
    from patients
),

final as (
    select
        ranked_referrals.pathway_id,
        ranked_referrals.service_request_id,
        ranked_referrals.local_patient_id,
        ranked_referrals.provider_code,
        ranked_referrals.unique_submission_id,
        ranked_referrals.reporting_period_start,
        ranked_referrals.commissioner_code,
        ranked_referrals.referral_received_date,
        ranked_referrals.source_of_referral,
        ranked_referrals.source_of_referral_validity,
        ranked_referrals.age_at_referral,
        ranked_referrals.discharge_date,
        ranked_referrals.is_discharge_before_referral,
        ranked_referrals.end_code,
        ranked_referrals.end_code_validity,
        ranked_patients.gender_code,
        ranked_patients.ethnic_category
    from ranked_referrals
    left join ranked_patients
        on ranked_referrals.unique_submission_id = ranked_patients.unique_submission_id
            and ranked_referrals.local_patient_id = ranked_patients.local_patient_id
            and ranked_patients.patient_rank = 1
    where ranked_referrals.state_rank = 1
)

select * from final
