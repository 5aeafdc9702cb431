{#- The build's as-at month (input contract, "Which records count").
    var as_at_month = 'YYYY-MM'; empty = the latest reporting month in the record-level
    data (accepted headers), else the last month of the latest KPI quarter.
    as_at_month_end(): that month's last day, as a date expression.
    as_at_month_start(): its first day. -#}
{% macro as_at_month_literal() %}
    {%- set month = (var('as_at_month', '') or '') | string | trim -%}
    {%- if month == '' -%}{{ return(none) }}{%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', month) -%}
        {{ exceptions.raise_compiler_error("as_at_month must be YYYY-MM (e.g. 2013-03), got '" ~ month ~ "'") }}
    {%- endif -%}
    {%- set year = month[:4] | int -%}
    {%- set mon = month[5:] | int -%}
    {%- set start = modules.datetime.date(year, mon, 1) -%}
    {%- set next_start = modules.datetime.date(year + (1 if mon == 12 else 0), 1 if mon == 12 else mon + 1, 1) -%}
    {%- set end = next_start - modules.datetime.timedelta(days=1) -%}
    {{ return({'start': start.isoformat(), 'end': end.isoformat()}) }}
{% endmacro %}

{% macro as_at_month_end() -%}
    {%- set literal = as_at_month_literal() -%}
    {%- if literal is not none -%}
        cast('{{ literal.end }}' as date)
    {%- else -%}
        coalesce(
            (select cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '1', 'max(reporting_period_start)')) }} as date)
                from {{ ref('stg_iapt_v2__headers') }}),
            (select max(quarter_end) from {{ ref('stg_kpi_returns__quarterly_returns') }})
        )
    {%- endif -%}
{%- endmacro %}

{% macro as_at_month_start() -%}
    {%- set literal = as_at_month_literal() -%}
    {%- if literal is not none -%}
        cast('{{ literal.start }}' as date)
    {%- else -%}
        cast({{ dbt.date_trunc('month', as_at_month_end()) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- post-hook of dim_build: a requested as_at_month before every submission and every KPI
    quarter would build an empty picture (an empty marts.measures) without a word; fail
    with the months that would work instead. -#}
{% macro check_as_at_month_has_data() %}
    {%- if execute and as_at_month_literal() is not none -%}
        {%- set result = run_query(
            "select as_at_month, headers_in_scope_count, kpi_returns_in_scope_count,"
            ~ " earliest_reporting_month_start, earliest_kpi_quarter_end from " ~ this) -%}
        {%- set row = result.rows[0] -%}
        {%- set has_input = row[3] is not none or row[4] is not none -%}
        {%- if has_input and row[1] == 0 and row[2] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "as_at_month " ~ row[0] ~ " is before every submission (earliest record-level month: "
                ~ ((row[3] | string)[:7] if row[3] is not none else "none") ~ "; earliest KPI quarter end: "
                ~ ((row[4] | string)[:10] if row[4] is not none else "none")
                ~ "), so the warehouse would be empty. Choose a later as_at_month, or leave it empty "
                ~ "for the latest month in the data.") }}
        {%- endif -%}
    {%- endif -%}
    select 1 as as_at_month_checked
{% endmacro %}
