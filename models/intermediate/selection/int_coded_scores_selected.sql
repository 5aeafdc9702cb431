-- Score rows of used submissions, in period only (rules 4 and 5).
with

scores as (
    {{ in_period_rows_of_used_submissions(
        ref('stg_iapt_v2__coded_scores'), ref('int_submissions_selected')
    ) }}
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
)

select * from final
