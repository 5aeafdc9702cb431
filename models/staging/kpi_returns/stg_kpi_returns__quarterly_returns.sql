with

base as (
    select * from {{ ref('base_kpi_returns__quarterly_returns') }}
    where rejection_reason_code is null
),

final as (
    select
        source_file,
        source_row_number,
        quarter_label,
        quarter_start,
        quarter_end,
        pct_code,
        return_type,
        submitted_at,
        is_nil_return,
        nil_return_reason,
        {{ kpi_count_columns() | join(',\n        ') }}
    from base
)

select * from final
