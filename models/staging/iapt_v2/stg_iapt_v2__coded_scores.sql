with

base as (
    select * from {{ ref('base_iapt_v2__coded_scores') }}
    where rejection_reason_code is null
        and {{ ingest_folder_is_not_duplicate() }}
),

code_questionnaire as (
    select * from {{ ref('code_questionnaire') }}
),

final as (
    select
        base.source_file,
        base.source_row_number,
        base.unique_submission_id,
        base.provider_code,
        base.reporting_period_start,
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
