with

base as ({{ accepted_base_rows(ref('base_iapt_v2__headers')) }}),

final as (
    select
        {{ submission_columns() }},
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
