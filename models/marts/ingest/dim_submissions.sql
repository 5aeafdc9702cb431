-- Every accepted submission header with its selection outcome (manifest, data quality).
with

submissions as (select * from {{ ref('int_submissions_selected') }}),

final as (
    select
        unique_submission_id,
        provider_code,
        reporting_period_start,
        reporting_period_end,
        file_type,
        submitted_at,
        submission_folder,
        is_used,
        selection_reason,
        superseded_by_submission_id
    from submissions
)

select * from final
