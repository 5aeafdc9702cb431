-- One row per used care contact (provider_code, care_contact_id), classified against
-- its referral: attended, assessment, treatment, inside the referral's date window,
-- and the intensity of the therapy delivered. Every used contact is kept (M082 counts
-- contacts outside the window); the episode counts use only the flagged ones.
with

care_contacts as (select * from {{ ref('int_care_contacts_selected') }}),

referrals as (select * from {{ ref('int_referrals_windowed') }}),

attendance as (select * from {{ ref('code_attendance') }}),

appointment_types as (select * from {{ ref('code_appointment_type') }}),

therapy_types as (select * from {{ ref('code_therapy_type') }}),

joined as (
    select
        care_contacts.provider_code,
        care_contacts.care_contact_id,
        care_contacts.pathway_id,
        care_contacts.care_contact_date,
        care_contacts.appointment_type,
        care_contacts.attendance_code,
        care_contacts.therapy_type,
        referrals.pathway_id is not null as has_referral,
        coalesce(
            care_contacts.care_contact_date >= referrals.referral_received_date
            and care_contacts.care_contact_date <= referrals.window_end_date,
            false
        ) as is_in_referral_window,
        coalesce(attendance.is_attended, false) as is_attended,
        coalesce(appointment_types.is_assessment, false) as is_assessment_type,
        coalesce(appointment_types.is_treatment, false) as is_treatment_type,
        therapy_types.therapy_intensity
    from care_contacts
    left join referrals
        on care_contacts.pathway_id = referrals.pathway_id
    left join attendance
        on care_contacts.attendance_code = cast(attendance.code as {{ dbt.type_string() }})
    left join appointment_types
        on
            care_contacts.appointment_type
            = cast(appointment_types.code as {{ dbt.type_string() }})
    left join therapy_types
        on care_contacts.therapy_type = cast(therapy_types.code as {{ dbt.type_string() }})
),

final as (
    select
        provider_code,
        care_contact_id,
        pathway_id,
        care_contact_date,
        appointment_type,
        attendance_code,
        therapy_type,
        therapy_intensity,
        has_referral,
        is_in_referral_window,
        is_attended,
        is_attended and is_in_referral_window as is_attended_in_window,
        is_attended and is_assessment_type and is_in_referral_window as is_assessment_contact,
        is_attended and is_treatment_type and is_in_referral_window as is_treatment_contact
    from joined
)

select * from final
