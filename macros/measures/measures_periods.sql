{#- Period arithmetic for the measures (financial quarter Q1 = Apr-Jun = calendar Q2, so a
    financial quarter starts where a calendar quarter does). Cross-database macros only. -#}

{% macro measures_month_start(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{% macro measures_quarter_start(date_expr) -%}
    cast({{ dbt.date_trunc('quarter', date_expr) }} as date)
{%- endmacro %}

{% macro measures_financial_year_start(date_expr) -%}
    cast({{ dbt.dateadd('month', 3, dbt.date_trunc('year', dbt.dateadd('month', -3, date_expr))) }} as date)
{%- endmacro %}

{#- First day of the CCG era: periods starting before it use PCT -> SHA
    (organisation_editions() holds every era boundary). -#}
{% macro measures_ccg_era_start() -%}
    {{ organisation_edition_start('ccg_2013') }}
{%- endmacro %}

{#- The start of the month, financial quarter or financial year a date falls in. -#}
{% macro measures_period_start(period_type, date_expr) -%}
    {%- if period_type == 'month' -%}{{ measures_month_start(date_expr) }}
    {%- elif period_type == 'quarter' -%}{{ measures_quarter_start(date_expr) }}
    {%- elif period_type == 'year' -%}{{ measures_financial_year_start(date_expr) }}
    {%- else -%}{{ exceptions.raise_compiler_error('unknown period type ' ~ period_type) }}
    {%- endif -%}
{%- endmacro %}

{#- Every row of `relation` three times, keyed by the month, quarter and financial year
    its `date_column` falls in (period_type, reporting_period_start), to be joined to
    the measured periods by equality. -#}
{% macro measures_period_keys(relation, columns, date_column) -%}
    {%- for period_type in ['month', 'quarter', 'year'] %}
    select
        {%- for c in columns %}
        {{ c }},
        {%- endfor %}
        '{{ period_type }}' as period_type,
        {{ measures_period_start(period_type, date_column) }} as reporting_period_start
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
