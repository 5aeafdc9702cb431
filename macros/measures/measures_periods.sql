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

{#- First day of the hierarchy change: periods starting before it use PCT -> SHA. -#}
{% macro measures_ccg_era_start() -%}
    cast('2013-04-01' as date)
{%- endmacro %}
