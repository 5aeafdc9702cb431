-- Figures per PCT and quarter: Provisional = the used Original (latest SubmittedAt);
-- Final = the accepted Resubmission where one exists, else the used Original (the
-- ranking is int_kpi_returns_ranked's).
-- A nil return's empty counts are 0; a non-nil return's empty count stays null (unknown).
with

used_returns as (
    select * from {{ ref('int_kpi_returns_ranked') }}
    where is_used
),

pcts as (
    select
        pct_code,
        sha_code
    from {{ ref('org_pct_2011_12') }}
),

both_figures as (
    select
        used_returns.*,
        'Provisional' as figures
    from used_returns
    where used_returns.return_type = 'Original'
    union all
    select
        used_returns.*,
        'Final' as figures
    from used_returns
    where used_returns.final_rank = 1
),

final as (
    select
        both_figures.quarter_start,
        both_figures.quarter_end,
        both_figures.pct_code,
        pcts.sha_code,
        both_figures.figures,
        both_figures.return_type,
        both_figures.is_nil_return,
        both_figures.level_of_need,
        case
            when both_figures.is_nil_return then coalesce(both_figures.referrals_received, 0)
            else both_figures.referrals_received
        end as referrals_received,
        case
            when both_figures.is_nil_return then coalesce(both_figures.entered_treatment, 0)
            else both_figures.entered_treatment
        end as entered_treatment,
        case
            when both_figures.is_nil_return then coalesce(both_figures.waiting_over_28_days, 0)
            else both_figures.waiting_over_28_days
        end as waiting_over_28_days,
        case
            when both_figures.is_nil_return then coalesce(both_figures.completed_treatment, 0)
            else both_figures.completed_treatment
        end as completed_treatment,
        case
            when both_figures.is_nil_return then coalesce(both_figures.not_at_caseness_at_start, 0)
            else both_figures.not_at_caseness_at_start
        end as not_at_caseness_at_start,
        case
            when both_figures.is_nil_return then coalesce(both_figures.moved_to_recovery, 0)
            else both_figures.moved_to_recovery
        end as moved_to_recovery,
        case
            when both_figures.is_nil_return
                then coalesce(both_figures.moved_off_sick_pay_or_benefits, 0)
            else both_figures.moved_off_sick_pay_or_benefits
        end as moved_off_sick_pay_or_benefits
    from both_figures
    left join pcts
        on both_figures.pct_code = pcts.pct_code
)

select * from final
