-- Score rows of used submissions, in period only (rules 4 and 5).
with

used as (
    select unique_submission_id from {{ ref('int_submissions_selected') }}
    where is_used
),

scores as (
    select * from {{ ref('stg_iapt_v2__coded_scores') }}
),

final as (
    select
        scores.pathway_id,
        scores.care_contact_id,
        scores.questionnaire_code,
        scores.score,
        scores.score_date,
        scores.is_score_in_range,
        scores.unique_submission_id,
        scores.reporting_period_start
    from scores
    inner join used
        on scores.unique_submission_id = used.unique_submission_id
    where not scores.is_out_of_period
)

select * from final
