-- One row per pathway_id: the referral's state and window plus what its care contacts
-- say about it: first assessment, first / second / last treatment, contact counts,
-- therapy intensity, wait to first treatment and whether it finished a course of
-- treatment (discharged with at least two treatment contacts).
with

referrals as (select * from {{ ref('int_referrals_windowed') }}),

care_contacts as (select * from {{ ref('int_care_contacts_classified') }}),

counted_contacts as (
    -- Only attended contacts inside the referral's date window say anything about it.
    select
        pathway_id,
        care_contact_date,
        is_assessment_contact,
        is_treatment_contact,
        therapy_intensity,
        -- order within (pathway, is treatment): only meaningful for treatment contacts
        row_number() over (
            partition by pathway_id, is_treatment_contact
            order by care_contact_date, provider_code, care_contact_id
        ) as contact_order
    from care_contacts
    where is_attended_in_window
),

contacts_per_referral as (
    select
        pathway_id,
        min(case when is_assessment_contact then care_contact_date end)
            as first_assessment_date,
        min(case when is_treatment_contact then care_contact_date end)
            as first_treatment_date,
        min(
            case when is_treatment_contact and contact_order = 2 then care_contact_date end
        )
            as second_treatment_date,
        max(case when is_treatment_contact then care_contact_date end)
            as last_treatment_date,
        sum(case when is_treatment_contact then 1 else 0 end) as treatment_contact_count,
        count(*) as attended_contact_count,
        max(
            case when is_treatment_contact and therapy_intensity = 'low' then 1 else 0 end
        ) as has_low_intensity,
        max(
            case when is_treatment_contact and therapy_intensity = 'high' then 1 else 0 end
        ) as has_high_intensity
    from counted_contacts
    group by pathway_id
),

joined as (
    select
        referrals.*,
        contacts_per_referral.first_assessment_date,
        contacts_per_referral.first_treatment_date,
        contacts_per_referral.second_treatment_date,
        contacts_per_referral.last_treatment_date,
        cast(coalesce(contacts_per_referral.treatment_contact_count, 0) as integer)
            as treatment_contact_count,
        cast(coalesce(contacts_per_referral.attended_contact_count, 0) as integer)
            as attended_contact_count,
        coalesce(contacts_per_referral.has_low_intensity, 0) as has_low_intensity,
        coalesce(contacts_per_referral.has_high_intensity, 0) as has_high_intensity
    from referrals
    left join contacts_per_referral
        on referrals.pathway_id = contacts_per_referral.pathway_id
),

final as (
    select
        pathway_id,
        service_request_id,
        local_patient_id,
        provider_code,
        unique_submission_id,
        reporting_period_start,
        commissioner_code,
        referral_received_date,
        source_of_referral,
        source_of_referral_validity,
        age_at_referral,
        discharge_date,
        is_discharge_before_referral,
        end_code,
        end_code_validity,
        gender_code,
        ethnic_category,
        window_end_date,
        first_assessment_date,
        first_treatment_date,
        second_treatment_date,
        last_treatment_date,
        treatment_contact_count,
        attended_contact_count,
        cast(
            {{ dbt.datediff('referral_received_date', 'first_treatment_date', 'day') }}
            as integer
        ) as wait_to_first_treatment_days,
        case
            when has_low_intensity = 1 and has_high_intensity = 1 then 'both'
            when has_low_intensity = 1 then 'low'
            when has_high_intensity = 1 then 'high'
            else 'none'
        end as therapy_intensity,
        discharge_date is not null and treatment_contact_count >= 2 as is_finished_course
    from joined
)

select * from final
