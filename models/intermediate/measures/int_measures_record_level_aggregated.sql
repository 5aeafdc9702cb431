-- Record-level measures, wide: one row per (period, organisation, breakdown) with one
-- column per aggregate. One grouping-sets pass over the episode periods and one over the
-- care contacts; England appears for every period even with no activity.
{%- set period_columns = [
    'period_type', 'reporting_period_start', 'reporting_period_end', 'status', 'is_pct_era'
] %}
{%- set episode_counts = [
    'm001', 'm002', 'm003', 'm023', 'm031', 'm036', 'm037', 'm038', 'm044', 'm056',
    'm076', 'm052', 'm054', 'm202', 'm179', 'm191', 'm185', 'm189', 'm187', 'm193', 'k006'
] %}
{%- set contact_counts = ['m082', 'm084', 'm086'] %}
{%- set key_columns = period_columns + [
    'group_type', 'org_code1', 'org_code2', 'breakdown', 'breakdown_value'
] %}
{%- set supplementary_counts = [] %}
{%- for m in measures_record_level_definitions() if m.supplementary and m.type == 'count' %}
    {%- do supplementary_counts.append(m.num) %}
{%- endfor %}

with

assigned_episode_periods as (

    select * from {{ ref('int_episode_periods_assigned') }}

),

periods as (

    select * from {{ ref('int_measure_periods') }}

),

care_contacts as (

    select * from {{ ref('int_care_contacts_selected') }}

),

referrals as (

    select * from {{ ref('int_referrals_selected') }}

),

pcts as (

    select * from {{ ref('org_pct_2011_12') }}

),

ccgs as (

    select * from {{ ref('org_ccg_2013_14') }}

),

level_of_need as (

    select * from {{ ref('int_measures_level_of_need') }}

),

-- the status is the period's now (int_episode_periods_assigned is incremental and does
-- not store it)
episode_periods as (

    select
        assigned_episode_periods.*,
        periods.status
    from assigned_episode_periods
    inner join periods
        on
            assigned_episode_periods.period_type = periods.period_type
            and assigned_episode_periods.reporting_period_start = periods.reporting_period_start

),

-- Total rows: every count and the wait sum, at the five organisation levels
episode_totals as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys(totals=true, breakdowns=false) }},
        {%- for c in episode_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for c in contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        sum(entered_wait_days) as wait_days_sum,
        cast(null as {{ type_double() }}) as wait_days_median
    from episode_periods
    {{ measures_grouping_sets(period_columns, totals=true) }} -- noqa: PRS

),

-- M049: the median wait over the episodes entering treatment (Total rows only)
episode_wait_medians as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys(totals=true, breakdowns=false) }},
        {%- for c in episode_counts + contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        cast(null as bigint) as wait_days_sum,
        {{ median('entered_wait_days') }} as wait_days_median
    from episode_periods
    where m031 = 1
    {{ measures_grouping_sets(period_columns, totals=true) }} -- noqa: PRS

),

-- breakdown rows: the supplementary counts only, at England, Commissioner and Provider
episode_breakdowns as (

    {%- if measures_breakdowns() | length > 0 %}
        select
            {{ period_columns | join(', ') }},
            {{ measures_grouping_keys(totals=false, breakdowns=true) }},
            {%- for c in episode_counts %}
                {{ 'sum(' ~ c ~ ')' if c in supplementary_counts else '0' }} as {{ c }},
            {%- endfor %}
            {%- for c in contact_counts %}
                0 as {{ c }},
            {%- endfor %}
            cast(null as bigint) as wait_days_sum,
            cast(null as {{ type_double() }}) as wait_days_median
        from episode_periods
        {{ measures_grouping_sets(period_columns, totals=false, breakdowns=true) }} -- noqa: PRS
    {%- else %}
        select * from episode_totals
        where false
    {%- endif %}

),

-- M082/M084/M086: every used contact, by (provider, contact id), in the period its date
-- falls in, under the commissioner of its referral (UNKNOWN when not a valid code).
-- int_care_contacts_selected has one row per (provider_code, care_contact_id), and a
-- date falls in one month, quarter and year, so count(*) counts distinct contacts.
contact_period_keys as (

    {{ measures_period_keys(
        'care_contacts',
        ['provider_code', 'care_contact_id', 'pathway_id', 'attendance_code'],
        'care_contact_date'
    ) }}

),

contact_periods as (

    select
        periods.period_type,
        periods.reporting_period_start,
        periods.reporting_period_end,
        periods.status,
        periods.is_pct_era,
        contact_period_keys.provider_code,
        contact_period_keys.care_contact_id,
        contact_period_keys.attendance_code,
        case
            when periods.is_pct_era then coalesce(pcts.sha_code, 'UNKNOWN')
            else coalesce(ccgs.commissioning_region_code, 'UNKNOWN')
        end as region_code,
        case
            when periods.is_pct_era then coalesce(pcts.pct_code, 'UNKNOWN')
            else coalesce(ccgs.ccg_code, 'UNKNOWN')
        end as commissioner_code
    from contact_period_keys
    inner join periods
        on
            contact_period_keys.period_type = periods.period_type
            and contact_period_keys.reporting_period_start = periods.reporting_period_start
    left join referrals
        on contact_period_keys.pathway_id = referrals.pathway_id
    left join pcts
        on referrals.commissioner_code = pcts.pct_code
    left join ccgs
        on referrals.commissioner_code = ccgs.ccg_code

),

contact_aggregates as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys(totals=true, breakdowns=false) }},
        {%- for c in episode_counts %}
            0 as {{ c }},
        {%- endfor %}
        count(*) as m082,
        sum(case when attendance_code = '3' then 1 else 0 end) as m084,
        sum(case when attendance_code = '5' then 1 else 0 end) as m086,
        cast(null as bigint) as wait_days_sum,
        cast(null as {{ type_double() }}) as wait_days_median
    from contact_periods
    {{ measures_grouping_sets(period_columns, totals=true) }} -- noqa: PRS

),

-- England appears for every period, with zeros when nothing happened
england_every_period as (

    select
        {{ period_columns | join(', ') }},
        'England' as group_type,
        'all' as org_code1,
        'all' as org_code2,
        'Total' as breakdown,
        'Total' as breakdown_value,
        {%- for c in episode_counts + contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        cast(null as bigint) as wait_days_sum,
        cast(null as {{ type_double() }}) as wait_days_median
    from periods

),

combined as (

    select
        {{ key_columns | join(', ') }},
        {%- for c in episode_counts + contact_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        sum(wait_days_sum) as wait_days_sum,
        max(wait_days_median) as wait_days_median
    from (
        select * from episode_totals
        union all
        select * from episode_wait_medians
        union all
        select * from episode_breakdowns
        union all
        select * from contact_aggregates
        union all
        select * from england_every_period
    ) as unioned
    group by {{ key_columns | join(', ') }}

),

final as (

    select
        {%- for c in key_columns %}
            combined.{{ c }},
        {%- endfor %}
        {%- for c in episode_counts + contact_counts %}
            cast(combined.{{ c }} as bigint) as {{ c }},
        {%- endfor %}
        cast(coalesce(combined.wait_days_sum, 0) as bigint) as wait_days_sum,
        combined.wait_days_median,
        level_of_need.level_of_need
    from combined
    left join level_of_need
        on
            combined.is_pct_era = level_of_need.is_pct_era
            and {{ measures_financial_year_start('combined.reporting_period_start') }}
            = level_of_need.financial_year_start
            and combined.group_type = level_of_need.group_type
            and combined.org_code1 = level_of_need.org_code
            and combined.breakdown = 'Total'
    -- a breakdown row carries only the supplementary measures: it appears when one of
    -- their counts is non-zero
    where
        combined.breakdown = 'Total'
        {%- for m in measures_record_level_definitions() if m.supplementary and m.type == 'count' %}
            or combined.{{ m.num }} > 0
        {%- endfor %}

)

select * from final
