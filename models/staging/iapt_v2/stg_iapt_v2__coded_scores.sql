with

base as ({{ accepted_base_rows(ref('base_iapt_v2__coded_scores')) }}),

code_questionnaire as (select * from {{ ref('code_questionnaire') }}),

final as (
    select
        {{ submission_columns('base') }},
        base.pathway_id,
        base.care_contact_id,
        base.questionnaire_code,
        base.score,
        base.score_date,
        -- null when the questionnaire is not in the code list (range unknown) or no score
        base.score between code_questionnaire.min_score and code_questionnaire.max_score
            as is_score_in_range,
        base.score_date not between base.reporting_period_start and base.reporting_period_end
            as is_out_of_period
    from base
    left join code_questionnaire
        on base.questionnaire_code = code_questionnaire.code
)

select * from final
