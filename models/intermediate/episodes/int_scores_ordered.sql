-- One row per used questionnaire score, flagged and ordered. A score is usable for
-- outcomes when it is in its questionnaire's valid range and dated inside its
-- referral's window (referral date .. discharge date, or the as-at month end while
-- open). Usable scores of one (pathway_id, questionnaire_code) are ordered by
-- (score_date, care_contact_id with nulls last, score): score_order 1 is the first
-- score, score_order = usable_score_count the last. Only outcome measures are ordered.
with

scores as (select * from {{ ref('int_coded_scores_selected') }}),

referrals as (select * from {{ ref('int_referrals_windowed') }}),

questionnaires as (select * from {{ ref('code_questionnaire') }}),

flagged as (
    select
        scores.pathway_id,
        scores.care_contact_id,
        scores.questionnaire_code,
        scores.score,
        scores.score_date,
        coalesce(
            scores.is_score_in_range
            and scores.score >= cast(questionnaires.min_score as decimal(18, 6))
            and scores.score <= cast(questionnaires.max_score as decimal(18, 6)),
            false
        ) as is_valid_score,
        coalesce(
            scores.score_date >= referrals.referral_received_date
            and scores.score_date <= referrals.window_end_date,
            false
        ) as is_in_referral_window,
        coalesce(questionnaires.is_outcome_measure, false) as is_outcome_measure
    from scores
    left join referrals
        on scores.pathway_id = referrals.pathway_id
    left join questionnaires
        on scores.questionnaire_code = cast(questionnaires.code as {{ dbt.type_string() }})
),

usable as (
    -- Only usable scores of outcome measures (code_questionnaire.is_outcome_measure)
    -- are ordered: other tools (e.g. WSAS items) are never first or last of anything.
    select * from flagged
    where is_valid_score and is_in_referral_window and is_outcome_measure
),

ordered as (
    select
        pathway_id,
        care_contact_id,
        questionnaire_code,
        score,
        score_date,
        is_valid_score,
        is_in_referral_window,
        true as is_usable,
        row_number() over (
            partition by pathway_id, questionnaire_code
            order by score_date, care_contact_id nulls last, score
        ) as score_order,
        -- same window (partition and order) as score_order, so one sort serves both
        count(*) over (
            partition by pathway_id, questionnaire_code
            order by score_date, care_contact_id nulls last, score
            rows between unbounded preceding and unbounded following
        ) as usable_score_count
    from usable
),

not_ordered as (
    select
        pathway_id,
        care_contact_id,
        questionnaire_code,
        score,
        score_date,
        is_valid_score,
        is_in_referral_window,
        is_valid_score and is_in_referral_window as is_usable,
        cast(null as bigint) as score_order,
        cast(null as bigint) as usable_score_count
    from flagged
    where not (is_valid_score and is_in_referral_window and is_outcome_measure)
),

final as (
    select * from ordered
    union all
    select * from not_ordered
)

select * from final
