-- One row per (referral episode, measured period) in which the episode counts towards at
-- least one measure, with a 0/1 column per measure, the wait for the wait measures, the
-- organisations of the period's hierarchy and the breakdown values. Everything the
-- aggregation needs, computed once per episode and period. The period's status is not
-- stored: the aggregation takes it from int_measure_periods_enumerated.
with

episodes as (select * from {{ ref('int_referral_episodes_assembled') }}),

periods as (select * from {{ ref('int_measure_periods_enumerated') }}),

commissioner_codes as (select * from {{ ref('int_commissioner_codes_mapped') }}),

-- the default anxiety measure (GAD-7), by its role in the seed code_questionnaire
default_anxiety_measure as (
    select cast(code as {{ dbt.type_string() }}) as questionnaire_code
    from {{ ref('code_questionnaire') }}
    where measure_role = 'default_anxiety'
),

-- every dated event of an episode, keyed by the month, quarter and year it falls in
events as (

    select
        pathway_id,
        'referral' as event_name,
        referral_date as event_date
    from episodes
    where referral_date is not null
    union all
    select
        pathway_id,
        'first_assessment' as event_name,
        first_assessment_date as event_date
    from episodes
    where first_assessment_date is not null
    union all
    select
        pathway_id,
        'first_treatment' as event_name,
        first_treatment_date as event_date
    from episodes
    where first_treatment_date is not null
    union all
    select
        pathway_id,
        'second_treatment' as event_name,
        second_treatment_date as event_date
    from episodes
    where second_treatment_date is not null
    union all
    select
        pathway_id,
        'discharge' as event_name,
        discharge_date as event_date
    from episodes
    where discharge_date is not null

),

event_period_keys as (

    {{ measures_period_keys('events', ['pathway_id', 'event_name'], 'event_date') }}

),

event_periods as (

    select
        event_period_keys.pathway_id,
        event_period_keys.period_type,
        event_period_keys.reporting_period_start,
        max(case when event_period_keys.event_name = 'referral' then 1 else 0 end) as is_referred,
        max(case when event_period_keys.event_name = 'first_assessment' then 1 else 0 end)
            as is_first_assessed,
        max(case when event_period_keys.event_name = 'first_treatment' then 1 else 0 end)
            as is_entered,
        max(case when event_period_keys.event_name = 'second_treatment' then 1 else 0 end)
            as is_second_treated,
        max(case when event_period_keys.event_name = 'discharge' then 1 else 0 end) as is_ended,
        0 as is_waiting
    from event_period_keys
    inner join periods
        on
            event_period_keys.period_type = periods.period_type
            and event_period_keys.reporting_period_start = periods.reporting_period_start
    group by
        event_period_keys.pathway_id,
        event_period_keys.period_type,
        event_period_keys.reporting_period_start

),

-- M038 snapshot: referred on or before the period end, neither discharged nor treated
-- on or before it
waiting_periods as (

    select
        episodes.pathway_id,
        periods.period_type,
        periods.reporting_period_start,
        0 as is_referred,
        0 as is_first_assessed,
        0 as is_entered,
        0 as is_second_treated,
        0 as is_ended,
        1 as is_waiting
    from episodes
    inner join periods
        on
            episodes.referral_date <= periods.reporting_period_end
            and coalesce(episodes.discharge_date, cast('9999-12-31' as date))
            > periods.reporting_period_end
            and coalesce(episodes.first_treatment_date, cast('9999-12-31' as date))
            > periods.reporting_period_end

),

episode_periods as (

    select
        pathway_id,
        period_type,
        reporting_period_start,
        max(is_referred) as is_referred,
        max(is_first_assessed) as is_first_assessed,
        max(is_entered) as is_entered,
        max(is_second_treated) as is_second_treated,
        max(is_ended) as is_ended,
        max(is_waiting) as is_waiting
    from (
        select * from event_periods
        union all
        select * from waiting_periods
    ) as unioned
    group by pathway_id, period_type, reporting_period_start

),

flagged as (

    select
        episode_periods.pathway_id,
        periods.period_type,
        periods.reporting_period_start,
        periods.reporting_period_end,
        periods.is_pct_era,
        coalesce(commissioner_codes.region_code, 'UNKNOWN') as region_code,
        coalesce(commissioner_codes.commissioner_code, 'UNKNOWN') as commissioner_code,
        episodes.provider_code,
        coalesce(episodes.problem_descriptor, 'Not recorded') as problem_descriptor,
        coalesce(episodes.age_band, 'Unknown') as age_band,
        coalesce(episodes.gender, 'Not known') as gender,
        coalesce(episodes.ethnic_group, 'Not stated/known') as ethnic_group,
        coalesce(episodes.therapy_intensity, 'none') as therapy_intensity,
        episode_periods.is_referred,
        episode_periods.is_entered,
        episode_periods.is_ended
        * (case when episodes.is_finished_course then 1 else 0 end) as is_finished,
        episode_periods.is_first_assessed,
        episode_periods.is_second_treated,
        episode_periods.is_ended,
        episode_periods.is_waiting,
        episodes.source_of_referral,
        episodes.wait_to_first_treatment_days,
        {{ dbt.datediff(
            'episodes.first_treatment_date', 'episodes.second_treatment_date', 'day'
        ) }} as first_to_second_treatment_days,
        episodes.treatment_contact_count,
        -- ADSM-related problem descriptor: one whose anxiety measure is not GAD-7 (M203)
        coalesce(episodes.adsm_code, default_anxiety_measure.questionnaire_code)
        != default_anxiety_measure.questionnaire_code as has_adsm_problem_descriptor,
        -- appropriate paired ADSM scores (M204): the outcome used that ADSM, which needs
        -- at least two valid scores on it
        coalesce(
            episodes.anxiety_measure_code = episodes.adsm_code
            and episodes.anxiety_score_count >= 2,
            false
        ) as has_paired_adsm_scores,
        {{ dbt.datediff(
            'episodes.referral_date', 'periods.reporting_period_end', 'day'
        ) }} as waited_at_period_end_days,
        episodes.has_paired_scores,
        episodes.is_not_at_caseness,
        episodes.is_recovered,
        episodes.is_reliable_improvement,
        episodes.is_reliable_deterioration,
        episodes.is_no_reliable_change,
        episodes.is_reliable_recovery,
        episodes.is_moved_off_sick_pay_benefits
    from episode_periods
    inner join periods
        on
            episode_periods.period_type = periods.period_type
            and episode_periods.reporting_period_start = periods.reporting_period_start
    inner join episodes
        on episode_periods.pathway_id = episodes.pathway_id
    cross join default_anxiety_measure
    -- the submitted commissioner read in the hierarchy of the period's edition
    left join commissioner_codes
        on
            {{ organisation_edition('periods.reporting_period_start') }}
            = commissioner_codes.organisation_edition
            and upper(trim(episodes.commissioner_code_submitted))
            = commissioner_codes.submitted_code

),

final as (

    select
        pathway_id,
        period_type,
        reporting_period_start,
        reporting_period_end,
        is_pct_era,
        region_code,
        commissioner_code,
        provider_code,
        problem_descriptor,
        age_band,
        gender,
        ethnic_group,
        therapy_intensity,
        is_referred as m001,
        case when is_referred = 1 and source_of_referral = 'B1' then 1 else 0 end as m002,
        case when is_referred = 1 and source_of_referral = 'A1' then 1 else 0 end as m003,
        is_first_assessed as m023,
        is_entered as m031,
        case when is_entered = 1 and wait_to_first_treatment_days <= 42 then 1 else 0 end as m036,
        case when is_entered = 1 and wait_to_first_treatment_days <= 126 then 1 else 0 end as m037,
        is_waiting as m038,
        case when is_waiting = 1 and waited_at_period_end_days > 126 then 1 else 0 end as m044,
        case when is_entered = 1 then wait_to_first_treatment_days end as entered_wait_days,
        is_ended as m056,
        is_finished as m076,
        case when is_finished = 1 and wait_to_first_treatment_days <= 42 then 1 else 0 end as m052,
        case when is_finished = 1 and wait_to_first_treatment_days <= 126 then 1 else 0 end as m054,
        case when is_finished = 1 and has_paired_scores then 1 else 0 end as m202,
        case when is_finished = 1 and is_not_at_caseness then 1 else 0 end as m179,
        case when is_finished = 1 and is_recovered then 1 else 0 end as m191,
        case when is_finished = 1 and is_reliable_improvement then 1 else 0 end as m185,
        case when is_finished = 1 and is_reliable_deterioration then 1 else 0 end as m189,
        case when is_finished = 1 and is_no_reliable_change then 1 else 0 end as m187,
        case when is_finished = 1 and is_reliable_recovery then 1 else 0 end as m193,
        case when is_finished = 1 and is_moved_off_sick_pay_benefits then 1 else 0 end as k006,
        -- first to second treatment appointment, in the period of the second (M184 family)
        is_second_treated as m184,
        case when is_second_treated = 1 and first_to_second_treatment_days <= 28 then 1 else 0 end
            as m121,
        case
            when is_second_treated = 1 and first_to_second_treatment_days between 29 and 90 then 1
            else 0
        end as m122,
        case when is_second_treated = 1 and first_to_second_treatment_days > 28 then 1 else 0 end
            as m046,
        case when is_second_treated = 1 and first_to_second_treatment_days > 90 then 1 else 0 end
            as m047,
        -- ended in the period after exactly one / no treatment appointment (M075, M153)
        case when is_ended = 1 and treatment_contact_count = 1 then 1 else 0 end as m075,
        case when is_ended = 1 and treatment_contact_count = 0 then 1 else 0 end as m153,
        -- finishers: their wait to first treatment (M050/M051), treatment appointments (M141)
        case when is_finished = 1 then wait_to_first_treatment_days end as finished_wait_days,
        case when is_finished = 1 then treatment_contact_count end as finished_treatment_appts,
        case when is_finished = 1 and has_adsm_problem_descriptor then 1 else 0 end as m203,
        case
            when is_finished = 1 and has_adsm_problem_descriptor and has_paired_adsm_scores then 1
            else 0
        end as m204
    from flagged

)

select * from final
