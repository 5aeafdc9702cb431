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

{#- `group by grouping sets (...)`: the key columns (in every set) with each organisation
    level's columns; with breakdown_levels_only, only the levels that carry breakdowns. -#}
{% macro measures_grouping_sets(key_columns, breakdown_levels_only=false) -%}
    {%- set sets = [] -%}
    {%- for level in measures_org_levels() if level.breakdowns or not breakdown_levels_only -%}
        {%- do sets.append(key_columns + level.columns) -%}
    {%- endfor -%}
    group by grouping sets (
        {%- for s in sets %}
        ({{ s | join(', ') }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#- group_type, org_code1 and org_code2 from the grouping() flags of a query grouped by
    measures_grouping_sets(key_columns, breakdown_levels_only) (no Region level then). -#}
{% macro measures_grouping_keys(breakdown_levels_only=false) -%}
        case
            when grouping(commissioner_code) = 0 and grouping(provider_code) = 0 then 'Commissioner/Provider'
            when grouping(commissioner_code) = 0 then 'Commissioner'
            when grouping(provider_code) = 0 then 'Provider'
            {%- if not breakdown_levels_only %}
            when grouping(region_code) = 0 then 'Region'
            {%- endif %}
            else 'England'
        end as group_type,
        case
            when grouping(commissioner_code) = 0 then commissioner_code
            {%- if not breakdown_levels_only %}
            when grouping(region_code) = 0 then region_code
            {%- endif %}
            else 'all'
        end as org_code1,
        case when grouping(provider_code) = 0 then provider_code else 'all' end as org_code2
{%- endmacro %}
