-- One row per raw file (present or missing), with the contract columns its header lacks.

with

inventory as (
    select * from {{ ref('raw_file_inventory') }}
),

checked as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        is_present,
        {{ ingest_missing_columns_list('header_columns', 'source_table') }} as missing_list
    from inventory
),

final as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        is_present,
        case
            when is_present and missing_list <> ''
                then substring(missing_list, 1, length(missing_list) - 1)
        end as missing_columns
    from checked
)

select * from final
