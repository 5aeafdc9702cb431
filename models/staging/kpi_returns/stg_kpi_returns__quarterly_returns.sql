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
        level_of_need,
        referrals_received,
        entered_treatment,
        waiting_over_28_days,
        completed_treatment,
        not_at_caseness_at_start,
        moved_to_recovery,
        moved_off_sick_pay_or_benefits
    from base
)

select * from final
