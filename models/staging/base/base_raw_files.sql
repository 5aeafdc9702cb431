-- One row per raw file (present or missing): the contract columns its header lacks, the
-- fault that rejects the whole file, and its data lines counted from the bytes
-- (raw_file_inventory), independently of the parser.

with

inventory as (select * from {{ ref('raw_file_inventory') }}),

checked as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        folder_signature,
        is_present,
        file_reason_code,
        file_reason_detail,
        line_count,
        {{ ingest_missing_columns_list('header_columns', 'source_table') }} as missing_list
    from inventory
),

final as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        folder_signature,
        is_present,
        file_reason_code,
        file_reason_detail,
        -- lines after the header line (the header is line 1)
        case when line_count > 1 then line_count - 1 else 0 end as data_lines,
        case
            when is_present and file_reason_code is null and missing_list <> ''
                then substring(missing_list, 1, length(missing_list) - 1)
        end as missing_columns
    from checked
)

select * from final
