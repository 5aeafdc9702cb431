-- Figures per PCT and quarter: Provisional = the used Original (latest SubmittedAt);
-- Final = the accepted Resubmission where one exists, else the used Original.
-- A nil return's empty counts are 0; a non-nil return's empty count stays null (unknown).
{%- set counts = ['referrals_received', 'entered_treatment', 'waiting_over_28_days',
                  'completed_treatment', 'not_at_caseness_at_start', 'moved_to_recovery',
                  'moved_off_sick_pay_or_benefits'] %}
with

quarters as (
    select * from {{ ref('int_kpi_quarters') }}
),

pcts as (
    select
        pct_code,
        sha_code
    from {{ ref('org_pct_2011_12') }}
),

returns as (
    select returns.*
    from {{ ref('stg_kpi_returns__quarterly_returns') }} as returns
    inner join quarters
        on returns.quarter_start = quarters.quarter_start
),

ranked as (
    select
        returns.*,
        row_number() over (
            partition by returns.pct_code, returns.quarter_start, returns.return_type
            order by returns.submitted_at desc, returns.source_file desc, returns.source_row_number desc
        ) as return_rank
    from returns
),

originals as (
    select * from ranked
    where return_type = 'Original' and return_rank = 1
),

resubmissions as (
    -- later resubmissions are rejected in staging (late_resubmission): one at most
    select * from ranked
    where return_type = 'Resubmission'
),

provisional as (
    select
        originals.*,
        'Provisional' as figures
    from originals
),

final_figures as (
    select
        coalesce(resubmissions.source_file, originals.source_file) as source_file,
        'Final' as figures,
        coalesce(resubmissions.pct_code, originals.pct_code) as pct_code,
        coalesce(resubmissions.quarter_start, originals.quarter_start) as quarter_start,
        coalesce(resubmissions.quarter_end, originals.quarter_end) as quarter_end,
        case when resubmissions.pct_code is not null then resubmissions.return_type else originals.return_type end
            as return_type,
        case when resubmissions.pct_code is not null then resubmissions.is_nil_return else originals.is_nil_return end
            as is_nil_return,
        case when resubmissions.pct_code is not null then resubmissions.level_of_need else originals.level_of_need end
            as level_of_need,
        {%- for count in counts %}
        case when resubmissions.pct_code is not null then resubmissions.{{ count }} else originals.{{ count }} end
            as {{ count }}{{ ',' if not loop.last }}
        {%- endfor %}
    from originals
    full outer join resubmissions
        on originals.pct_code = resubmissions.pct_code
            and originals.quarter_start = resubmissions.quarter_start
),

both_figures as (
    select
        quarter_start,
        quarter_end,
        pct_code,
        figures,
        return_type,
        is_nil_return,
        level_of_need,
        {%- for count in counts %}
        {{ count }}{{ ',' if not loop.last }}
        {%- endfor %}
    from provisional
    union all
    select
        quarter_start,
        quarter_end,
        pct_code,
        figures,
        return_type,
        is_nil_return,
        level_of_need,
        {%- for count in counts %}
        {{ count }}{{ ',' if not loop.last }}
        {%- endfor %}
    from final_figures
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
        {%- for count in counts %}
        case when both_figures.is_nil_return then coalesce(both_figures.{{ count }}, 0) else both_figures.{{ count }} end
            as {{ count }}{{ ',' if not loop.last }}
        {%- endfor %}
    from both_figures
    left join pcts
        on both_figures.pct_code = pcts.pct_code
)

select * from final
