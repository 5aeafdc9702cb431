-- Presenting complaints of each referral's state submission only (rule 3: no fall-back).
with

referrals as (
    select
        pathway_id,
        unique_submission_id
    from {{ ref('int_referrals_selected') }}
),

complaints as (select * from {{ ref('stg_iapt_v2__presenting_complaints') }}),

final as (
    select
        complaints.pathway_id,
        complaints.presenting_complaint_code,
        complaints.presenting_complaint_significance,
        complaints.presenting_complaint_date
    from complaints
    inner join referrals
        on complaints.pathway_id = referrals.pathway_id
            and complaints.unique_submission_id = referrals.unique_submission_id
)

select * from final
