-- One row per submission folder: its accepted header, or why the folder has none; and,
-- for a folder whose UniqueSubmissionID another folder with an accepted header already
-- has (a re-delivered copy, or a second folder reusing the id), why it is not used.
{%- set header_count_text = dbt.safe_cast(
    'coalesce(header_rows.header_row_count, 0)', dbt.type_string()) %}
{%- set header_count_reason = dbt.concat(["'header rows: '", header_count_text]) %}
{%- set format_reasons = "'" ~ row_format_reasons() | join("', '") ~ "'" %}
{%- set header_row_reason = dbt.concat(
    ["'header row rejected: '", 'header_rows.header_reason_detail']) %}
{%- set usid_text = dbt.safe_cast('checked.unique_submission_id', dbt.type_string()) %}
with

files as (
    select * from {{ ref('base_raw_files') }}
    where part = 'iapt_v2'
),

headers as (
    select * from {{ ref('base_iapt_v2__headers') }}
    -- a blank or ragged line of the header file is no header row (raw_rows)
    where
        coalesce(rejection_reason_code, '')
        not in ({{ format_reasons }})
),

folders as (
    select
        submission_folder,
        max(case when source_table = 'IDS000_Header' and is_present then 1 else 0 end)
            as has_header_file
    from files
    group by submission_folder
),

header_rows as (
    select
        submission_folder,
        count(*) as header_row_count,
        max(rejection_reason_code) as header_reason_code,
        max(rejection_detail) as header_reason_detail,
        max(unique_submission_id) as unique_submission_id,
        max(provider_code) as provider_code,
        max(reporting_period_start) as reporting_period_start,
        max(reporting_period_end) as reporting_period_end
    from headers
    group by submission_folder
),

checked as (
    select
        folders.submission_folder,
        case
            when folders.has_header_file = 0 then 'missing_header'
            when coalesce(header_rows.header_row_count, 0) <> 1 then 'bad_header_row_count'
            else header_rows.header_reason_code
        end as folder_reason_code,
        case
            when folders.has_header_file = 0 then 'folder has no IDS000_Header.csv'
            when coalesce(header_rows.header_row_count, 0) <> 1
                then {{ header_count_reason }}
            when header_rows.header_reason_code is not null
                then {{ header_row_reason }}
        end as folder_reason,
        case when header_rows.header_reason_code is null then header_rows.unique_submission_id end
            as unique_submission_id,
        case when header_rows.header_reason_code is null then header_rows.provider_code end
            as provider_code,
        case when header_rows.header_reason_code is null then header_rows.reporting_period_start end
            as reporting_period_start,
        case when header_rows.header_reason_code is null then header_rows.reporting_period_end end
            as reporting_period_end
    from folders
    left join header_rows
        on folders.submission_folder = header_rows.submission_folder
),

-- The folder-local checks above are stored with the rows (base_rows); this one spans
-- folders, so it is kept apart (duplicate_reason_code) and applied where rows are read
-- (stg_ views, fct_raw_row_rejections): rows loaded earlier then never go stale.
first_folders as (
    select
        unique_submission_id,
        min(submission_folder) as first_folder
    from checked
    where folder_reason_code is null
    group by unique_submission_id
),

final as (
    select
        checked.*,
        case
            when checked.submission_folder <> first_folders.first_folder
                then 'duplicate_submission_id'
        end as duplicate_reason_code,
        case
            when checked.submission_folder <> first_folders.first_folder
                then {{ dbt.concat(["'UniqueSubmissionID '", usid_text,
                    "' already in folder '", 'first_folders.first_folder']) }}
        end as duplicate_reason
    from checked
    left join first_folders
        on checked.unique_submission_id = first_folders.unique_submission_id
)

select * from final
