{%- set age_rule = contract_column('referrals', 'age_at_referral') %}
-- One row per care pathway (PathwayID) as at the build's as-at month, with every
-- attribute measures.md derives for a referral: the episodes layer's contact summary,
-- problem descriptor and outcomes joined, and the commissioner hierarchies, age band,
-- gender, ethnic group and end-code group looked up. The mart fct_referral_episodes
-- publishes it; int_episode_periods_assigned counts every measure from it.
with

referrals as (select * from {{ ref('int_referral_contacts_summarised') }}),

problem_descriptors as (select * from {{ ref('int_problem_descriptors_selected') }}),

outcomes as (select * from {{ ref('int_referral_outcomes_derived') }}),

employment_outcomes as (select * from {{ ref('int_employment_outcomes_derived') }}),

pcts as (select * from {{ ref('org_pct_2011_12') }}),

ccgs as (select * from {{ ref('org_ccg_2013_14') }}),

age_bands as (select * from {{ ref('code_age_band') }}),

genders as (select * from {{ ref('code_gender') }}),

ethnic_categories as (select * from {{ ref('code_ethnic_category') }}),

end_codes as (select * from {{ ref('code_end_code') }}),

age_lookup as (
    -- The band of each distinct age (a range join on ~100 ages, not on every referral).
    -- Unknown (no row) when missing, under the first band or over the raw contract's
    -- maximum age (AgeAtReferral, 120).
    select
        ages.age_at_referral,
        age_bands.age_band
    from (select distinct age_at_referral from referrals) as ages
    inner join age_bands
        on
            ages.age_at_referral >= age_bands.min_age
            and ages.age_at_referral <= coalesce(age_bands.max_age, {{ age_rule['max'] }})
            and ages.age_at_referral <= {{ age_rule['max'] }}
),

final as (
    select
        referrals.pathway_id,
        referrals.service_request_id,
        referrals.local_patient_id,
        referrals.provider_code,
        referrals.commissioner_code as commissioner_code_submitted,
        coalesce(cast(pcts.pct_code as {{ dbt.type_string() }}), 'UNKNOWN') as pct_code,
        coalesce(cast(pcts.sha_code as {{ dbt.type_string() }}), 'UNKNOWN') as sha_code,
        coalesce(cast(ccgs.ccg_code as {{ dbt.type_string() }}), 'UNKNOWN') as ccg_code,
        coalesce(
            cast(ccgs.commissioning_region_code as {{ dbt.type_string() }}), 'UNKNOWN'
        ) as commissioning_region_code,
        referrals.source_of_referral,
        referrals.age_at_referral,
        coalesce(age_lookup.age_band, 'Unknown') as age_band,
        referrals.gender_code,
        case
            when referrals.gender_code is null then 'Not known'
            else coalesce(genders.gender, 'Invalid')
        end as gender,
        referrals.ethnic_category,
        case
            when referrals.ethnic_category is null then 'Not stated/known'
            else coalesce(ethnic_categories.ethnic_group, 'Invalid')
        end as ethnic_group,
        problem_descriptors.problem_descriptor_code,
        problem_descriptors.problem_descriptor,
        problem_descriptors.adsm_code,
        referrals.referral_received_date as referral_date,
        referrals.first_assessment_date,
        referrals.first_treatment_date,
        referrals.second_treatment_date,
        referrals.last_treatment_date,
        referrals.treatment_contact_count,
        referrals.attended_contact_count,
        referrals.discharge_date,
        referrals.end_code,
        case
            when referrals.end_code is null then null
            else coalesce(end_codes.end_code_group, 'Invalid')
        end as end_code_group,
        referrals.wait_to_first_treatment_days,
        referrals.therapy_intensity,
        referrals.is_finished_course,
        outcomes.anxiety_measure_code,
        outcomes.anxiety_measure_name,
        outcomes.phq9_score_count,
        outcomes.anxiety_score_count,
        outcomes.phq9_first_score,
        outcomes.phq9_last_score,
        outcomes.anxiety_first_score,
        outcomes.anxiety_last_score,
        outcomes.has_paired_scores,
        outcomes.is_at_caseness_at_start,
        outcomes.is_not_at_caseness,
        outcomes.is_recovered,
        outcomes.is_reliable_improvement,
        outcomes.is_reliable_deterioration,
        outcomes.is_no_reliable_change,
        outcomes.is_reliable_recovery,
        employment_outcomes.is_moved_off_sick_pay_benefits
    from referrals
    left join problem_descriptors
        on referrals.pathway_id = problem_descriptors.pathway_id
    left join outcomes
        on referrals.pathway_id = outcomes.pathway_id
    left join employment_outcomes
        on referrals.pathway_id = employment_outcomes.pathway_id
    left join pcts
        on upper(trim(referrals.commissioner_code)) = cast(pcts.pct_code as {{ dbt.type_string() }})
    left join ccgs
        on upper(trim(referrals.commissioner_code)) = cast(ccgs.ccg_code as {{ dbt.type_string() }})
    left join age_lookup
        on referrals.age_at_referral = age_lookup.age_at_referral
    left join genders
        on referrals.gender_code = cast(genders.code as {{ dbt.type_string() }})
    left join ethnic_categories
        on referrals.ethnic_category = cast(ethnic_categories.code as {{ dbt.type_string() }})
    left join end_codes
        on referrals.end_code = cast(end_codes.code as {{ dbt.type_string() }})
)

select * from final
