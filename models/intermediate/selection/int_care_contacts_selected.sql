-- One row per (provider, CareContactId): in-period rows of used submissions, the later
-- month winning (rules 4 and 5: out-of-period re-sends never replace the original).
with

contacts as (
    {{ in_period_rows_of_used_submissions(
        ref('stg_iapt_v2__care_contacts'), ref('int_submissions_selected')
    ) }}
),

ranked as (
    select
        contacts.*,
        row_number() over (
            partition by contacts.provider_code, contacts.care_contact_id
            order by contacts.reporting_period_start desc, contacts.unique_submission_id desc
        ) as contact_rank
    from contacts
),

final as (
    select
        provider_code,
        care_contact_id,
        pathway_id,
        care_contact_date,
        appointment_type,
        attendance_code,
        consultation_mechanism,
        therapy_type,
        unique_submission_id,
        reporting_period_start
    from ranked
    where contact_rank = 1
)

select * from final
