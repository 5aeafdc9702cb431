with

base as ({{ accepted_base_rows(ref('base_iapt_v2__care_contacts')) }}),

code_appointment_type as (select * from {{ ref('code_appointment_type') }}),

code_attendance as (select * from {{ ref('code_attendance') }}),

code_consultation_mechanism as (select * from {{ ref('code_consultation_mechanism') }}),

code_therapy_type as (select * from {{ ref('code_therapy_type') }}),

final as (
    select
        {{ submission_columns('base', loaded_at=true) }},
        base.care_contact_id,
        base.pathway_id,
        base.care_contact_date,
        base.appointment_type,
        {{ code_validity('base.appointment_type', 'code_appointment_type') }}
            as appointment_type_validity,
        base.attendance_code,
        {{ code_validity('base.attendance_code', 'code_attendance') }} as attendance_code_validity,
        base.consultation_mechanism,
        {{ code_validity('base.consultation_mechanism', 'code_consultation_mechanism') }}
            as consultation_mechanism_validity,
        base.therapy_type,
        {{ code_validity('base.therapy_type', 'code_therapy_type') }} as therapy_type_validity,
        base.care_contact_date not between base.reporting_period_start and base.reporting_period_end
            as is_out_of_period
    from base
    left join code_appointment_type
        on base.appointment_type = code_appointment_type.code
    left join code_attendance
        on base.attendance_code = code_attendance.code
    left join code_consultation_mechanism
        on base.consultation_mechanism = code_consultation_mechanism.code
    left join code_therapy_type
        on base.therapy_type = code_therapy_type.code
)

select * from final
