{#- Breakdowns of the supplementary measures: column of int_episode_periods_assigned and
    published label. The var lets a unit test switch them off to keep fixtures small. -#}
{% macro measures_breakdowns() -%}
    {{ return(var('measures_breakdowns', [
        {'column': 'problem_descriptor', 'label': 'Problem descriptor'},
        {'column': 'age_band', 'label': 'Age band'},
        {'column': 'gender', 'label': 'Gender'},
        {'column': 'ethnic_group', 'label': 'Ethnicity'},
        {'column': 'therapy_intensity', 'label': 'Therapy intensity'},
    ])) }}
{%- endmacro %}

{#- Organisation levels: the grouping columns of each group type. -#}
{% macro measures_org_levels() -%}
    {{ return([
        {'group_type': 'England', 'columns': [], 'breakdowns': true},
        {'group_type': 'Region', 'columns': ['region_code'], 'breakdowns': false},
        {'group_type': 'Commissioner', 'columns': ['commissioner_code'], 'breakdowns': true},
        {'group_type': 'Provider', 'columns': ['provider_code'], 'breakdowns': true},
        {'group_type': 'Commissioner/Provider', 'columns': ['commissioner_code', 'provider_code'], 'breakdowns': false},
    ]) }}
{%- endmacro %}

{#- `group by grouping sets (...)` over the period columns and, with totals, every
    organisation level; with breakdowns, each breakdown at the levels that carry them. -#}
{% macro measures_grouping_sets(period_columns, totals=true, breakdowns=false) -%}
    {%- set sets = [] -%}
    {%- for level in measures_org_levels() -%}
        {%- if totals -%}
            {%- do sets.append(period_columns + level.columns) -%}
        {%- endif -%}
        {%- if breakdowns and level.breakdowns -%}
            {%- for b in measures_breakdowns() -%}
                {%- do sets.append(period_columns + level.columns + [b.column]) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    group by grouping sets (
        {%- for s in sets %}
        ({{ s | join(', ') }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#- group_type, org_code1, org_code2, breakdown, breakdown_value from grouping() flags of
    a query grouped by measures_grouping_sets(period_columns, totals, breakdowns). -#}
{% macro measures_grouping_keys(totals=true, breakdowns=false) -%}
        case
            when grouping(commissioner_code) = 0 and grouping(provider_code) = 0 then 'Commissioner/Provider'
            when grouping(commissioner_code) = 0 then 'Commissioner'
            when grouping(provider_code) = 0 then 'Provider'
            {%- if totals %}
            when grouping(region_code) = 0 then 'Region'
            {%- endif %}
            else 'England'
        end as group_type,
        case
            when grouping(commissioner_code) = 0 then commissioner_code
            {%- if totals %}
            when grouping(region_code) = 0 then region_code
            {%- endif %}
            else 'all'
        end as org_code1,
        case when grouping(provider_code) = 0 then provider_code else 'all' end as org_code2,
        {%- if breakdowns and measures_breakdowns() | length > 0 %}
        case
            {%- for b in measures_breakdowns() %}
            when grouping({{ b.column }}) = 0 then '{{ b.label }}'
            {%- endfor %}
            else 'Total'
        end as breakdown,
        case
            {%- for b in measures_breakdowns() %}
            when grouping({{ b.column }}) = 0 then {{ b.column }}
            {%- endfor %}
            else 'Total'
        end as breakdown_value
        {%- else %}
        'Total' as breakdown,
        'Total' as breakdown_value
        {%- endif %}
{%- endmacro %}
