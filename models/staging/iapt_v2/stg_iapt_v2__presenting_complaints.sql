with

base as (
    select * from {{ ref('base_iapt_v2__presenting_complaints') }}
    where rejection_reason_code is null
        and {{ ingest_folder_is_not_duplicate() }}
),

final as (
    select
        source_file,
        source_row_number,
        unique_submission_id,
        provider_code,
        reporting_period_start,
        pathway_id,
        presenting_complaint_code,
        presenting_complaint_significance,
        presenting_complaint_date
    from base
)

select * from final
