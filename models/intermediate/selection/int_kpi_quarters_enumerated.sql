-- Quarters present in the accepted KPI returns ending on or before the as-at month; the
-- latest is Provisional, every earlier one Final.
with

returns as (select * from {{ ref('stg_kpi_returns__quarterly_returns') }}),

quarters as (
    select
        quarter_start,
        max(quarter_end) as quarter_end,
        max(quarter_label) as quarter_label
    from returns
    where quarter_end <= {{ as_at_month_end() }}
    group by quarter_start
),

final as (
    select
        quarter_start,
        quarter_end,
        quarter_label,
        case
            when quarter_start = max(quarter_start) over () then 'Provisional'
            else 'Final'
        end as status
    from quarters
)

select * from final
