-- Every rejected raw row (one reason each, the first in precedence order), plus one row
-- (source_row_number null) per file missing from a submission folder or rejected whole.
-- source_line_number is the physical line in the file (1 = the header line).
with

files as (
    select * from {{ ref('base_raw_files') }}
),

folders as (
    select * from {{ ref('base_iapt_v2__submission_folders') }}
),

rejected_rows as (
    {{ ingest_rejected_rows() }}
),

missing_files as (
    select
        files.source_table,
        files.source_file,
        cast(null as bigint) as source_row_number,
        files.submission_folder,
        folders.unique_submission_id,
        case
            when files.is_present then files.file_reason_code
            when files.source_table = 'IDS000_Header' then 'missing_header'
            else 'missing_file'
        end as reason_code,
        case
            when files.is_present
                then {{ dbt.concat(['files.file_reason_detail', "'; its '",
                    dbt.safe_cast('files.data_lines', dbt.type_string()), "' data line(s) not read'"]) }}
            else {{ dbt.concat(["'file not found: '", 'files.source_file']) }}
        end as rejection_detail
    from files
    left join folders
        on files.submission_folder = folders.submission_folder
    where not files.is_present or files.file_reason_code is not null
),

unioned as (
    select * from rejected_rows
    union all
    select * from missing_files
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        source_row_number + 1 as source_line_number,
        submission_folder,
        unique_submission_id,
        reason_code,
        {{ dbt.concat([
            ingest_reason_description('reason_code'),
            "' ('", "coalesce(rejection_detail, '')", "')'"
        ]) }} as reason
    from unioned
)

select * from final
