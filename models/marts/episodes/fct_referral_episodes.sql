-- One row per care pathway (PathwayID) as at the build's as-at month, with every
-- attribute measures.md derives for a referral. Assembled in the intermediate layer
-- (int_referral_episodes_assembled); this mart publishes its columns, in this order.
with

episodes as (select * from {{ ref('int_referral_episodes_assembled') }}),

final as (
    select
        pathway_id,
        service_request_id,
        local_patient_id,
        provider_code,
        commissioner_code_submitted,
        pct_code,
        sha_code,
        ccg_code,
        commissioning_region_code,
        source_of_referral,
        age_at_referral,
        age_band,
        gender_code,
        gender,
        ethnic_category,
        ethnic_group,
        problem_descriptor_code,
        problem_descriptor,
        adsm_code,
        referral_date,
        first_assessment_date,
        first_treatment_date,
        second_treatment_date,
        last_treatment_date,
        treatment_contact_count,
        attended_contact_count,
        discharge_date,
        end_code,
        end_code_group,
        wait_to_first_treatment_days,
        therapy_intensity,
        is_finished_course,
        anxiety_measure_code,
        anxiety_measure_name,
        phq9_score_count,
        anxiety_score_count,
        phq9_first_score,
        phq9_last_score,
        anxiety_first_score,
        anxiety_last_score,
        has_paired_scores,
        is_at_caseness_at_start,
        is_not_at_caseness,
        is_recovered,
        is_reliable_improvement,
        is_reliable_deterioration,
        is_no_reliable_change,
        is_reliable_recovery,
        is_moved_off_sick_pay_benefits
    from episodes
)

select * from final
