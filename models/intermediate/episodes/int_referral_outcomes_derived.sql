-- One row per referral that finished a course of treatment (discharged, >= 2 treatment
-- contacts): its depression (PHQ-9) and anxiety measure scores and the outcome flags
-- of measures.md "Outcomes of a referral", rules 1-6. Thresholds, operators and
-- reliable-change amounts, and which questionnaire is the depression measure (PHQ-9) and
-- which the default anxiety measure (GAD-7), come from the seed code_questionnaire only.
with

referrals as (select * from {{ ref('int_referral_contacts_summarised') }}),

problem_descriptors as (select * from {{ ref('int_problem_descriptors_selected') }}),

scores as (select * from {{ ref('int_scores_ordered') }}),

questionnaires as (select * from {{ ref('code_questionnaire') }}),

thresholds as (
    select
        cast(code as {{ dbt.type_string() }}) as questionnaire_code,
        short_name as questionnaire_name,
        measure_role,
        caseness_operator,
        cast(caseness_threshold as decimal(18, 6)) as caseness_threshold,
        cast(reliable_change as decimal(18, 6)) as reliable_change
    from questionnaires
),

measure_roles as (
    -- One row: the codes of the depression and the default anxiety measure.
    select
        max(case when measure_role = 'depression' then questionnaire_code end) as phq9_code,
        max(case when measure_role = 'default_anxiety' then questionnaire_code end)
            as gad7_code
    from thresholds
),

finishers as (
    -- Rule 1: the anxiety measure candidate is the problem descriptor's ADSM.
    select
        referrals.pathway_id,
        measure_roles.phq9_code,
        measure_roles.gad7_code,
        coalesce(problem_descriptors.adsm_code, measure_roles.gad7_code) as adsm_code
    from referrals
    cross join measure_roles
    left join problem_descriptors
        on referrals.pathway_id = problem_descriptors.pathway_id
    where referrals.is_finished_course
),

score_summaries as (
    -- First and last usable score per (pathway, questionnaire), in the order of
    -- int_scores_ordered: (score_date, care_contact_id nulls last, score).
    select
        scores.pathway_id,
        scores.questionnaire_code,
        max(scores.usable_score_count) as score_count,
        max(case when scores.score_order = 1 then scores.score end) as first_score,
        max(
            case when scores.score_order = scores.usable_score_count then scores.score end
        ) as last_score
    from scores
    inner join finishers
        on scores.pathway_id = finishers.pathway_id
    where
        scores.is_usable
        and (
            scores.questionnaire_code in (finishers.phq9_code, finishers.gad7_code)
            or scores.questionnaire_code = finishers.adsm_code
        )
    group by scores.pathway_id, scores.questionnaire_code
),

pivoted as (
    select
        finishers.pathway_id,
        finishers.phq9_code,
        finishers.gad7_code,
        finishers.adsm_code,
        {%- for prefix in ["phq9", "adsm", "gad7"] %}
            {%- set code = "finishers." ~ prefix ~ "_code" %}
            coalesce(
                max(case when score_summaries.questionnaire_code = {{ code }}
                        then score_summaries.score_count
                end),
                0
            ) as {{ prefix }}_score_count,
            max(case when score_summaries.questionnaire_code = {{ code }}
                    then score_summaries.first_score
            end) as {{ prefix }}_first_score,
            max(case when score_summaries.questionnaire_code = {{ code }}
                    then score_summaries.last_score
            end) as {{ prefix }}_last_score
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from finishers
    left join score_summaries
        on finishers.pathway_id = score_summaries.pathway_id
    group by finishers.pathway_id, finishers.phq9_code, finishers.gad7_code, finishers.adsm_code
),

measures_chosen as (
    -- Rule 1: ADSM when it has at least two valid scores, otherwise GAD-7.
    select
        pathway_id,
        phq9_code,
        case when adsm_score_count >= 2 then adsm_code else gad7_code end
            as anxiety_measure_code,
        phq9_score_count,
        phq9_first_score,
        phq9_last_score,
        case when adsm_score_count >= 2 then adsm_score_count else gad7_score_count end
            as anxiety_score_count,
        case when adsm_score_count >= 2 then adsm_first_score else gad7_first_score end
            as anxiety_first_score,
        case when adsm_score_count >= 2 then adsm_last_score else gad7_last_score end
            as anxiety_last_score
    from pivoted
),

compared as (
    select
        measures_chosen.*,
        anxiety.questionnaire_name as anxiety_measure_name,
        -- Rule 2: paired = two or more valid scores on both measures.
        measures_chosen.phq9_score_count >= 2
        and measures_chosen.anxiety_score_count >= 2 as has_paired_scores,
        -- At caseness: score <caseness_operator> caseness_threshold ('>=' or '>').
        {%- for score, q in [
            ("phq9_first", "phq9"), ("phq9_last", "phq9"),
            ("anxiety_first", "anxiety"), ("anxiety_last", "anxiety")
        ] %}
            coalesce(
                case {{ q }}.caseness_operator
                    when '>=' then measures_chosen.{{ score }}_score >= {{ q }}.caseness_threshold
                    when '>' then measures_chosen.{{ score }}_score > {{ q }}.caseness_threshold
                end,
                false
            ) as is_{{ score }}_at_caseness,
        {%- endfor %}
        -- Rule 5: differences rounded to 6 dp in decimal arithmetic before comparing.
        coalesce(
            round(measures_chosen.phq9_first_score - measures_chosen.phq9_last_score, 6)
            >= phq9.reliable_change,
            false
        ) as is_phq9_reliably_improved,
        coalesce(
            round(measures_chosen.phq9_last_score - measures_chosen.phq9_first_score, 6)
            >= phq9.reliable_change,
            false
        ) as is_phq9_reliably_deteriorated,
        coalesce(
            round(measures_chosen.anxiety_first_score - measures_chosen.anxiety_last_score, 6)
            >= anxiety.reliable_change,
            false
        ) as is_anxiety_reliably_improved,
        coalesce(
            round(measures_chosen.anxiety_last_score - measures_chosen.anxiety_first_score, 6)
            >= anxiety.reliable_change,
            false
        ) as is_anxiety_reliably_deteriorated
    from measures_chosen
    left join thresholds as phq9
        on measures_chosen.phq9_code = phq9.questionnaire_code
    left join thresholds as anxiety
        on measures_chosen.anxiety_measure_code = anxiety.questionnaire_code
),

flagged as (
    select
        *,
        -- Rule 3.
        has_paired_scores
        and (is_phq9_first_at_caseness or is_anxiety_first_at_caseness)
            as is_at_caseness_at_start,
        has_paired_scores
        and not is_phq9_first_at_caseness
        and not is_anxiety_first_at_caseness as is_not_at_caseness,
        -- Rule 5 (paired; one measure improved reliably and neither deteriorated).
        has_paired_scores
        and (is_phq9_reliably_improved or is_anxiety_reliably_improved)
        and not is_phq9_reliably_deteriorated
        and not is_anxiety_reliably_deteriorated as is_reliable_improvement,
        has_paired_scores
        and (is_phq9_reliably_deteriorated or is_anxiety_reliably_deteriorated)
        and not is_phq9_reliably_improved
        and not is_anxiety_reliably_improved as is_reliable_deterioration
    from compared
),

final as (
    select
        pathway_id,
        anxiety_measure_code,
        anxiety_measure_name,
        cast(phq9_score_count as integer) as phq9_score_count,
        cast(anxiety_score_count as integer) as anxiety_score_count,
        phq9_first_score,
        phq9_last_score,
        anxiety_first_score,
        anxiety_last_score,
        has_paired_scores,
        is_at_caseness_at_start,
        is_not_at_caseness,
        -- Rule 4: at caseness at start and both last scores below caseness.
        is_at_caseness_at_start
        and not is_phq9_last_at_caseness
        and not is_anxiety_last_at_caseness as is_recovered,
        is_reliable_improvement,
        is_reliable_deterioration,
        has_paired_scores
        and not is_reliable_improvement
        and not is_reliable_deterioration as is_no_reliable_change,
        is_at_caseness_at_start
        and not is_phq9_last_at_caseness
        and not is_anxiety_last_at_caseness
        and is_reliable_improvement as is_reliable_recovery
    from flagged
)

select * from final
