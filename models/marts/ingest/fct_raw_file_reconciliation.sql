-- Every raw file (and every file missing from a submission): raw rows = accepted + rejected.
{%- set contract = ingest_contract() %}
with

files as (
    select * from {{ ref('base_raw_files') }}
),

raw_counts as (
    {%- for entity, spec in contract.items() %}
    select
        source_file,
        count(*) as raw_rows
    from {{ ref('raw_' ~ ('kpi_returns' if entity == 'quarterly_returns' else 'iapt_v2') ~ '__' ~ entity) }}
    group by source_file
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

accepted_counts as (
    {%- for entity, spec in contract.items() %}
    select
        source_file,
        count(*) as accepted_rows
    from {{ ref('stg_' ~ ('kpi_returns' if entity == 'quarterly_returns' else 'iapt_v2') ~ '__' ~ entity) }}
    group by source_file
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

rejected_counts as (
    select
        source_file,
        count(*) as rejected_rows
    from {{ ref('fct_raw_row_rejections') }}
    where source_row_number is not null
    group by source_file
),

final as (
    select
        files.source_table,
        files.source_file,
        coalesce(raw_counts.raw_rows, 0) as raw_rows,
        coalesce(accepted_counts.accepted_rows, 0) as accepted_rows,
        coalesce(rejected_counts.rejected_rows, 0) as rejected_rows,
        coalesce(raw_counts.raw_rows, 0)
        = coalesce(accepted_counts.accepted_rows, 0) + coalesce(rejected_counts.rejected_rows, 0)
            as is_reconciled
    from files
    left join raw_counts
        on files.source_file = raw_counts.source_file
    left join accepted_counts
        on files.source_file = accepted_counts.source_file
    left join rejected_counts
        on files.source_file = rejected_counts.source_file
)

select * from final
