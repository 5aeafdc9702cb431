-- Figures per PCT and quarter: Provisional = the used Original (latest SubmittedAt);
-- Final = the accepted Resubmission where one exists, else the used Original (the
-- ranking is int_kpi_returns_ranked's).
-- A nil return's empty counts are 0; a non-nil return's empty count stays null (unknown):
-- coalesce(count, 0 when nil) for each count of the raw contract (kpi_count_columns) but
-- LevelOfNeed.
{%- set nil_return_zeroed = [] %}
{%- for count_column in kpi_count_columns() if count_column != 'level_of_need' %}
    {%- do nil_return_zeroed.append(
        'coalesce(both_figures.' ~ count_column ~ ', case when both_figures.is_nil_return'
        ~ ' then 0 end) as ' ~ count_column
    ) %}
{%- endfor %}
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
        {{ nil_return_zeroed | join(',\n        ') }}
    from both_figures
    left join pcts
        on both_figures.pct_code = pcts.pct_code
)

select * from final
