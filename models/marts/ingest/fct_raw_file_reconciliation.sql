-- Every raw file (and every file missing from a submission): its data lines, counted from
-- the bytes by raw_file_inventory (independently of the parser), = accepted + rejected.
-- Rows read are counted in the base_ models, where each file's rows first land; a file
-- rejected whole has all its lines rejected. A parser that returned fewer rows than the
-- file holds leaves the file unreconciled, and the data test fails the build.
with

files as (select * from {{ ref('base_raw_files') }}),

raw_counts as (
    {{ ingest_row_counts('base', 'raw_rows') }}
),

accepted_counts as (
    {{ ingest_row_counts('stg', 'accepted_rows') }}
),

rejected_counts as (
    select
        source_file,
        count(*) as rejected_rows
    from {{ ref('fct_raw_row_rejections') }}
    where source_row_number is not null
    group by source_file
),

counted as (
    select
        files.source_table,
        files.source_file,
        files.file_reason_code,
        files.data_lines,
        coalesce(raw_counts.raw_rows, 0) as raw_rows,
        coalesce(accepted_counts.accepted_rows, 0) as accepted_rows,
        coalesce(rejected_counts.rejected_rows, 0)
        + case when files.file_reason_code is not null then files.data_lines else 0 end
            as rejected_rows
    from files
    left join raw_counts
        on files.source_file = raw_counts.source_file
    left join accepted_counts
        on files.source_file = accepted_counts.source_file
    left join rejected_counts
        on files.source_file = rejected_counts.source_file
),

final as (
    select
        source_table,
        source_file,
        file_reason_code,
        data_lines as records_in_file,
        raw_rows,
        accepted_rows,
        rejected_rows,
        data_lines = accepted_rows + rejected_rows
        and raw_rows + case when file_reason_code is not null then data_lines else 0 end
        = data_lines as is_reconciled
    from counted
)

select * from final
