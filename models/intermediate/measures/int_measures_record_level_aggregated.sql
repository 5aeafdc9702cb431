-- Record-level measures, wide: one row per (period, organisation, breakdown) with one
-- column per aggregate; England appears for every period even with no activity.
-- Counts and sums are additive: each input is summed once to its finest grain (period and
-- region, commissioner, provider; or commissioner, provider and one breakdown), and the
-- organisation levels are grouping sets over those few rows, never over every record.
-- The median wait is taken from the count of episodes at each wait (the same median as
-- over the records). Grouped by period type and start: the period's end, status and era
-- (which follow from them) are joined last.
{%- set period_columns = ['period_type', 'reporting_period_start'] %}
{%- set org_columns = ['region_code', 'commissioner_code', 'provider_code'] %}
{%- set episode_counts = [
    'm001', 'm002', 'm003', 'm023', 'm031', 'm036', 'm037', 'm038', 'm044', 'm056',
    'm076', 'm052', 'm054', 'm202', 'm179', 'm191', 'm185', 'm189', 'm187', 'm193', 'k006',
    'm184', 'm121', 'm122', 'm046', 'm047', 'm075', 'm153', 'm203', 'm204'
] %}
{#- additive sums (name, column of int_episode_periods_assigned) for the means -#}
{%- set sum_columns = [
    ('wait_days_sum', 'entered_wait_days'),
    ('finished_wait_days_sum', 'finished_wait_days'),
    ('finished_treatment_appts_sum', 'finished_treatment_appts'),
] %}
{%- set sum_names = sum_columns | map('first') | list %}
{#- medians (name, the count whose episodes they are over, wait column) -#}
{%- set median_columns = [
    ('wait_days_median', 'm031', 'entered_wait_days'),
    ('finished_wait_days_median', 'm076', 'finished_wait_days'),
] %}
{%- set contact_counts = ['m082', 'm084', 'm086'] %}
{%- set level_columns = period_columns + ['group_type', 'org_code1', 'org_code2'] %}
{%- set key_columns = level_columns + ['breakdown', 'breakdown_value'] %}
{%- set breakdown_key_columns = period_columns + ['breakdown', 'breakdown_value'] %}
{%- set supplementary_counts = [] %}
{%- for m in measures_record_level_definitions() if m.supplementary and m.type == 'count' %}
    {%- do supplementary_counts.append(m.num) %}
{%- endfor %}
{#- what breakdown rows carry: every plain column a supplementary measure is built from
    (e.g. m189 for M1010, the appointments sum for M141) -#}
{%- set breakdown_columns = [] %}
{%- for m in measures_record_level_definitions() if m.supplementary %}
    {%- for part in [m.num, m.den] if part in episode_counts + sum_names
        and part not in breakdown_columns %}
        {%- do breakdown_columns.append(part) %}
    {%- endfor %}
{%- endfor %}

with

-- read by two aggregations and one per breakdown: inlined into each on DuckDB
episode_periods as {{ cte_not_materialized() }} (

    select * from {{ ref('int_episode_periods_assigned') }}

),

periods as (select * from {{ ref('int_measure_periods_enumerated') }}),

care_contacts as (select * from {{ ref('int_care_contacts_selected') }}),

referrals as (select * from {{ ref('int_referrals_selected') }}),

commissioner_codes as (select * from {{ ref('int_commissioner_codes_mapped') }}),

level_of_need as (select * from {{ ref('int_measures_level_of_need_aggregated') }}),

-- every count and the wait sum by period, region, commissioner and provider
episode_sums as (

    select
        {{ (period_columns + org_columns) | join(', ') }},
        {%- for c in episode_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for name, column in sum_columns %}
            sum({{ column }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from episode_periods
    group by {{ (period_columns + org_columns) | join(', ') }}

),

-- Total rows: every count and the wait sum, at the five organisation levels
episode_totals as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys() }},
        'Total' as breakdown,
        'Total' as breakdown_value,
        {%- for c in episode_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for c in contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            sum({{ name }}) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            cast(null as {{ type_double() }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from episode_sums
    {{ measures_grouping_sets(period_columns) }} -- noqa: PRS

),

-- M049 and M051, the median waits over the episodes entering treatment and over those
-- finishing a course (Total rows only), from the number of such episodes at each wait:
-- by period, organisation, median and wait, then at the five organisation levels
wait_counts as (

    {%- for name, count_column, wait_column in median_columns %}
        select
            {{ (period_columns + org_columns) | join(', ') }},
            '{{ name }}' as median_name,
            {{ wait_column }} as wait_days,
            count(*) as episodes
        from episode_periods
        where {{ count_column }} = 1 and {{ wait_column }} is not null
        group by {{ (period_columns + org_columns) | join(', ') }}, {{ wait_column }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

wait_counts_by_level as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys() }},
        median_name,
        wait_days,
        sum(episodes) as episodes
    from wait_counts
    {{ measures_grouping_sets(period_columns + ['median_name', 'wait_days']) }} -- noqa: PRS

),

-- episodes up to and including each wait, and in all, per organisation level and median
wait_counts_cumulated as (

    select
        {{ level_columns | join(', ') }},
        median_name,
        wait_days,
        sum(episodes) over (
            partition by {{ level_columns | join(', ') }}, median_name
            order by wait_days
            rows between unbounded preceding and current row
        ) as episodes_to_wait,
        sum(episodes) over (partition by {{ level_columns | join(', ') }}, median_name)
            as episodes_total
    from wait_counts_by_level

),

-- Of n sorted waits the median is the mean of the waits at positions floor((n + 1) / 2)
-- and floor(n / 2) + 1 (the same one when n is odd): the first wait whose running count
-- reaches the position, i.e. 2 * running >= n and 2 * running > n.
episode_wait_medians as (

    select
        {{ level_columns | join(', ') }},
        'Total' as breakdown,
        'Total' as breakdown_value,
        {%- for c in episode_counts + contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            cast(null as bigint) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            (
                cast(
                    min(
                        case
                            when
                                median_name = '{{ name }}'
                                and 2 * episodes_to_wait >= episodes_total
                                then wait_days
                        end
                    )
                    as {{ type_double() }}
                )
                + cast(
                    min(
                        case
                            when
                                median_name = '{{ name }}'
                                and 2 * episodes_to_wait > episodes_total
                                then wait_days
                        end
                    )
                    as {{ type_double() }}
                )
            ) / 2 as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from wait_counts_cumulated
    group by {{ level_columns | join(', ') }}

),

-- breakdown rows: the supplementary counts only, by commissioner, provider and each
-- breakdown's value, then at England, Commissioner and Provider
episode_breakdown_sums as (

    {%- if measures_breakdowns() | length > 0 %}
        {%- for b in measures_breakdowns() %}
            select
                {{ period_columns | join(', ') }},
                commissioner_code,
                provider_code,
                {%- for c in breakdown_columns %}
                    sum({{ dict(sum_columns).get(c, c) }}) as {{ c }},
                {%- endfor %}
                '{{ b.label }}' as breakdown,
                cast({{ b.column }} as {{ dbt.type_string() }}) as breakdown_value
            from episode_periods
            group by
                {{ period_columns | join(', ') }}, commissioner_code, provider_code, {{ b.column }}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- else %}
        select
            {{ period_columns | join(', ') }},
            commissioner_code,
            provider_code,
            {%- for c in breakdown_columns %}
                {{ c }},
            {%- endfor %}
            'Total' as breakdown,
            'Total' as breakdown_value
        from episode_sums
        where false
    {%- endif %}

),

episode_breakdowns as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys(breakdown_levels_only=true) }},
        breakdown,
        breakdown_value,
        {%- for c in episode_counts %}
            {{ 'sum(' ~ c ~ ')' if c in breakdown_columns else '0' }} as {{ c }},
        {%- endfor %}
        {%- for c in contact_counts %}
            0 as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            {{ 'sum(' ~ name ~ ')' if name in breakdown_columns else 'cast(null as bigint)' }}
                as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            cast(null as {{ type_double() }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from episode_breakdown_sums
    {{ measures_grouping_sets(breakdown_key_columns, breakdown_levels_only=true) }} -- noqa: PRS

),

-- M082/M084/M086: every used contact, by (provider, contact id), in the period its date
-- falls in, under the commissioner of its referral (UNKNOWN when not a valid code).
-- int_care_contacts_selected has one row per (provider_code, care_contact_id), so
-- count(*) counts distinct contacts. Counted by month first: a contact's quarter and
-- financial year are those of its month.
contacts_referred as (

    select
        care_contacts.provider_code,
        care_contacts.attendance_code,
        referrals.commissioner_code as referral_commissioner_code,
        {{ measures_month_start('care_contacts.care_contact_date') }} as contact_month
    from care_contacts
    left join referrals
        on care_contacts.pathway_id = referrals.pathway_id

),

contact_months as (

    select
        provider_code,
        referral_commissioner_code,
        contact_month,
        count(*) as m082,
        sum(case when attendance_code = '3' then 1 else 0 end) as m084,
        sum(case when attendance_code = '5' then 1 else 0 end) as m086
    from contacts_referred
    group by provider_code, referral_commissioner_code, contact_month

),

contact_period_keys as (

    {{ measures_period_keys(
        'contact_months',
        ['provider_code', 'referral_commissioner_code', 'm082', 'm084', 'm086'],
        'contact_month'
    ) }}

),

contact_periods as (

    select
        contact_period_keys.period_type,
        contact_period_keys.reporting_period_start,
        contact_period_keys.provider_code,
        contact_period_keys.m082,
        contact_period_keys.m084,
        contact_period_keys.m086,
        coalesce(commissioner_codes.region_code, 'UNKNOWN') as region_code,
        coalesce(commissioner_codes.commissioner_code, 'UNKNOWN') as commissioner_code
    from contact_period_keys
    inner join periods
        on
            contact_period_keys.period_type = periods.period_type
            and contact_period_keys.reporting_period_start = periods.reporting_period_start
    -- the referral's commissioner read in the hierarchy of the period's edition
    left join commissioner_codes
        on
            {{ organisation_edition('contact_period_keys.reporting_period_start') }}
            = commissioner_codes.organisation_edition
            and contact_period_keys.referral_commissioner_code
            = commissioner_codes.submitted_code

),

contact_aggregates as (

    select
        {{ period_columns | join(', ') }},
        {{ measures_grouping_keys() }},
        'Total' as breakdown,
        'Total' as breakdown_value,
        {%- for c in episode_counts %}
            0 as {{ c }},
        {%- endfor %}
        {%- for c in contact_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            cast(null as bigint) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            cast(null as {{ type_double() }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from contact_periods
    {{ measures_grouping_sets(period_columns) }} -- noqa: PRS

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
        {%- for name in sum_names %}
            cast(null as bigint) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            cast(null as {{ type_double() }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from periods

),

combined as (

    select
        {{ key_columns | join(', ') }},
        {%- for c in episode_counts + contact_counts %}
            sum({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            sum({{ name }}) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            max({{ name }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
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

-- the status is the period's (int_episode_periods_assigned does not store it); the
-- inner join keeps the measured periods only
final as (

    select
        combined.period_type,
        combined.reporting_period_start,
        periods.reporting_period_end,
        periods.status,
        periods.is_pct_era,
        combined.group_type,
        combined.org_code1,
        combined.org_code2,
        combined.breakdown,
        combined.breakdown_value,
        {%- for c in episode_counts + contact_counts %}
            cast(combined.{{ c }} as bigint) as {{ c }},
        {%- endfor %}
        {%- for name in sum_names %}
            cast(coalesce(combined.{{ name }}, 0) as bigint) as {{ name }},
        {%- endfor %}
        {%- for name, _, _ in median_columns %}
            combined.{{ name }},
        {%- endfor %}
        level_of_need.level_of_need
    from combined
    inner join periods
        on
            combined.period_type = periods.period_type
            and combined.reporting_period_start = periods.reporting_period_start
    left join level_of_need
        on
            periods.is_pct_era = level_of_need.is_pct_era
            and {{ measures_financial_year_start('combined.reporting_period_start') }}
            = level_of_need.financial_year_start
            and combined.group_type = level_of_need.group_type
            and combined.org_code1 = level_of_need.org_code
            and combined.breakdown = 'Total'
    -- a breakdown row carries only the supplementary measures: it appears when one of
    -- their counts is non-zero
    where
        combined.breakdown = 'Total'
        {%- for c in supplementary_counts %}
            or combined.{{ c }} > 0
        {%- endfor %}

)

select * from final
