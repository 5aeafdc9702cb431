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
