-- KPI returns (2011/12-2012/13), wide: one row per (quarter, organisation) at England,
-- Region (SHA) and Commissioner (PCT) level, from the figures the quarter is published
-- with (Provisional for the latest quarter, Final otherwise), with the same
-- organisation's previous-quarter Final figures for K111-K113 and the response counts
-- for K104. Sums skip unknown (null) counts; a nil return carries zeros.
{%- set counts = {
    'm001': 'referrals_received',
    'm031': 'entered_treatment',
    'm076': 'completed_treatment',
    'm179': 'not_at_caseness_at_start',
    'm191': 'moved_to_recovery',
    'k006': 'moved_off_sick_pay_or_benefits',
    'k103': 'waiting_over_28_days',
} %}
{%- set figure_columns = ['quarter_start', 'quarter_end', 'figures'] %}

with

kpi_returns as (select * from {{ ref('int_kpi_returns_selected') }}),

quarters as (select * from {{ ref('int_kpi_quarters_enumerated') }}),

reference_pcts as (select * from {{ ref('org_pct_2011_12') }}),

returns_prepared as (

    select
        quarter_start,
        quarter_end,
        figures,
        pct_code,
        coalesce(sha_code, 'UNKNOWN') as sha_code,
        level_of_need,
        {%- for measure, column in counts.items() %}
            {{ column }},
        {%- endfor %}
        case
            when level_of_need is not null then entered_treatment
        end as entered_treatment_with_need
    from kpi_returns

),

-- both sets of figures of every quarter, at the three levels, in one pass
aggregated as (

    select
        quarter_start,
        quarter_end,
        figures,
        case
            when grouping(pct_code) = 0 then 'Commissioner'
            when grouping(sha_code) = 0 then 'Region'
            else 'England'
        end as group_type,
        case
            when grouping(pct_code) = 0 then pct_code
            when grouping(sha_code) = 0 then sha_code
            else 'all'
        end as org_code1,
        {%- for measure, column in counts.items() %}
            sum({{ column }}) as {{ measure }},
        {%- endfor %}
        sum(entered_treatment_with_need) as m031_with_level_of_need,
        sum(level_of_need) as level_of_need,
        count(distinct pct_code) as returned_pct_count
    from returns_prepared
    group by grouping sets ( -- noqa: PRS
        ({{ figure_columns | join(', ') }}),
        ({{ figure_columns | join(', ') }}, sha_code),
        ({{ figure_columns | join(', ') }}, pct_code)
    )

),

reference_pct_counts as (

    select
        'England' as group_type,
        'all' as org_code1,
        count(*) as reference_pct_count
    from reference_pcts

    union all

    select
        'Region' as group_type,
        sha_code as org_code1,
        count(*) as reference_pct_count
    from reference_pcts
    group by sha_code

),

published as (

    select
        aggregated.*,
        quarters.status
    from aggregated
    inner join quarters
        on
            aggregated.quarter_start = quarters.quarter_start
            and aggregated.figures = quarters.status

),

previous_final as (

    select * from aggregated
    where figures = 'Final'

),

final as (

    select
        published.quarter_start as reporting_period_start,
        published.quarter_end as reporting_period_end,
        'quarter' as period_type,
        published.status,
        published.group_type,
        published.org_code1,
        'all' as org_code2,
        'Total' as breakdown,
        'Total' as breakdown_value,
        {%- for measure in counts %}
            published.{{ measure }},
        {%- endfor %}
        published.m031_with_level_of_need,
        published.level_of_need,
        published.returned_pct_count,
        reference_pct_counts.reference_pct_count,
        previous_final.m001 as previous_final_m001,
        previous_final.m031 as previous_final_m031,
        previous_final.k006 as previous_final_k006
    from published
    left join reference_pct_counts
        on
            published.group_type = reference_pct_counts.group_type
            and published.org_code1 = reference_pct_counts.org_code1
    left join previous_final
        on
            published.group_type = previous_final.group_type
            and published.org_code1 = previous_final.org_code1
            and cast({{ dbt.dateadd('month', -3, 'published.quarter_start') }} as date)
            = previous_final.quarter_start

)

select * from final
