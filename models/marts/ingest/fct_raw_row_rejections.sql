-- Every rejected raw row (one reason each, the first in precedence order), plus one row
-- (source_row_number null) per file missing from a submission folder or rejected whole.
-- source_line_number is the physical line in the file (1 = the header line). A line the
-- independent count holds but the CSV reader did not return (a reader fault) is rejected
-- as unread_line, so the loss is visible line by line; its file still fails the
-- reconciliation test (the build fails), since the reader lost data.
with

files as (select * from {{ ref('base_raw_files') }}),

folders as (select * from {{ ref('base_iapt_v2__submission_folders') }}),

rejected_rows as (
    {{ ingest_rejected_rows() }}
),

raw_counts as (
    {{ ingest_row_counts('base', 'raw_rows') }}
),

short_files as (
    select
        files.source_table,
        files.source_file,
        files.submission_folder,
        files.data_lines
    from files
    left join raw_counts
        on files.source_file = raw_counts.source_file
    where
        files.is_present
        and files.file_reason_code is null
        and files.data_lines > coalesce(raw_counts.raw_rows, 0)
),

short_file_lines as (
    select
        source_table,
        source_file,
        submission_folder,
        {{ integer_series('data_lines') }} as source_row_number
    from short_files
),

lines_read as (
    select
        row_numbers.source_file,
        row_numbers.source_row_number
    from ({{ ingest_row_numbers() }}) as row_numbers
    inner join short_files
        on row_numbers.source_file = short_files.source_file
),

unread_lines as (
    select
        short_file_lines.source_table,
        short_file_lines.source_file,
        cast(short_file_lines.source_row_number as bigint) as source_row_number,
        short_file_lines.submission_folder,
        folders.unique_submission_id,
        'unread_line' as reason_code,
        {{ dbt.concat(["'line '",
            dbt.safe_cast('short_file_lines.source_row_number + 1', dbt.type_string()),
            "' is in the file (independent line count) but the reader returned no row for it'"]) }}
            as rejection_detail
    from short_file_lines
    left join lines_read
        on
            short_file_lines.source_file = lines_read.source_file
            and short_file_lines.source_row_number = lines_read.source_row_number
    left join folders
        on short_file_lines.submission_folder = folders.submission_folder
    where lines_read.source_row_number is null
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
    union all
    select * from unread_lines
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
