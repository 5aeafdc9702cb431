with

base as (
    select * from {{ ref('base_iapt_v2__headers') }}
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
        reporting_period_end,
        file_type,
        submitted_at,
        data_set_version,
        submission_folder,
        -- which version of the folder the rows come from (data-quality marts key on it)
        folder_signature
    from base
)

select * from final
