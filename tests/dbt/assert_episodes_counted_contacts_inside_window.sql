-- Checked against the upstream tables, not the model's own flag: every contact counted
-- as treatment or assessment is attended, of the right AppType and dated inside its
-- referral's window (referral date .. discharge date, or the as-at month end if open).
with

-- the contacts counted as treatment or assessment, with their upstream dates and codes
counted_contacts as (
    select
        selected_contacts.*,
        contacts.is_treatment_contact,
        contacts.is_assessment_contact
    from {{ ref('int_care_contacts_classified') }} as contacts
    inner join {{ ref('int_care_contacts_selected') }} as selected_contacts
        on
            contacts.provider_code = selected_contacts.provider_code
            and contacts.care_contact_id = selected_contacts.care_contact_id
    where contacts.is_treatment_contact or contacts.is_assessment_contact
),

referrals as (select * from {{ ref('int_referrals_selected') }}),

as_at as (
    select max(reporting_period_end) as as_at_month_end
    from {{ ref('int_reporting_months_enumerated') }}
),

final as (
    select
        counted_contacts.provider_code,
        counted_contacts.care_contact_id,
        counted_contacts.care_contact_date,
        counted_contacts.appointment_type,
        counted_contacts.attendance_code,
        referrals.referral_received_date,
        referrals.discharge_date
    from counted_contacts
    left join referrals
        on counted_contacts.pathway_id = referrals.pathway_id
    cross join as_at
    where
        referrals.pathway_id is null
        or counted_contacts.attendance_code not in ('5', '6')
        or counted_contacts.attendance_code is null
        or (
            counted_contacts.is_treatment_contact
            and counted_contacts.appointment_type not in ('02', '03', '05')
        )
        or (
            counted_contacts.is_assessment_contact
            and counted_contacts.appointment_type not in ('01', '03')
        )
        or counted_contacts.care_contact_date < referrals.referral_received_date
        or counted_contacts.care_contact_date > coalesce(
            case
                when referrals.discharge_date >= referrals.referral_received_date
                    then referrals.discharge_date
            end,
            as_at.as_at_month_end
        )
)

select * from final
