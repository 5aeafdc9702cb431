-- Checked against the upstream tables, not the model's own flag: every contact counted
-- as treatment or assessment is attended, of the right AppType and dated inside its
-- referral's window (referral date .. discharge date, or the as-at month end if open).
with

contacts as (
    select * from {{ ref('int_care_contacts_classified') }}
),

selected_contacts as (
    select * from {{ ref('int_care_contacts_selected') }}
),

referrals as (
    select * from {{ ref('int_referrals_selected') }}
),

as_at as (
    select max(reporting_period_end) as as_at_month_end
    from {{ ref('int_reporting_months_enumerated') }}
),

final as (
    select
        contacts.provider_code,
        contacts.care_contact_id,
        selected_contacts.care_contact_date,
        selected_contacts.appointment_type,
        selected_contacts.attendance_code,
        referrals.referral_received_date,
        referrals.discharge_date
    from contacts
    inner join selected_contacts
        on
            contacts.provider_code = selected_contacts.provider_code
            and contacts.care_contact_id = selected_contacts.care_contact_id
    left join referrals
        on selected_contacts.pathway_id = referrals.pathway_id
    cross join as_at
    where
        (contacts.is_treatment_contact or contacts.is_assessment_contact)
        and (
            referrals.pathway_id is null
            or selected_contacts.attendance_code not in ('5', '6')
            or selected_contacts.attendance_code is null
            or (
                contacts.is_treatment_contact
                and selected_contacts.appointment_type not in ('02', '03', '05')
            )
            or (
                contacts.is_assessment_contact
                and selected_contacts.appointment_type not in ('01', '03')
            )
            or selected_contacts.care_contact_date < referrals.referral_received_date
            or selected_contacts.care_contact_date > coalesce(
                case
                    when referrals.discharge_date >= referrals.referral_received_date
                        then referrals.discharge_date
                end,
                as_at.as_at_month_end
            )
        )
)

select * from final
