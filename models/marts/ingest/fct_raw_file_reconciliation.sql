-- Every raw file (and every file missing from a submission): rows read = accepted + rejected.
-- Rows read are counted in the base_ models, where each file's rows first land.
with

files as (
    select * from {{ ref('base_raw_files') }}
),

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
        coalesce(raw_counts.raw_rows, 0) as raw_rows,
        coalesce(accepted_counts.accepted_rows, 0) as accepted_rows,
        coalesce(rejected_counts.rejected_rows, 0) as rejected_rows
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
        raw_rows,
        accepted_rows,
        rejected_rows,
        raw_rows = accepted_rows + rejected_rows as is_reconciled
    from counted
)

select * from final
