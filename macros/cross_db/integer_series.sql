{#- A select-list expression that turns one row into one row per integer 1..upper_bound
    (upper_bound: an integer column or expression of the same row; 0 or null gives none). -#}
{% macro integer_series(upper_bound) -%}
    {{ return(adapter.dispatch('integer_series', 'iapt_warehouse')(upper_bound)) }}
{%- endmacro %}

{% macro duckdb__integer_series(upper_bound) -%}
    unnest(range(1, {{ upper_bound }} + 1))
{%- endmacro %}

{% macro spark__integer_series(upper_bound) -%}
    {#- explode of null gives no row; sequence(1, 0) would count down to 0 -#}
    explode(case when {{ upper_bound }} >= 1 then sequence(1, {{ upper_bound }}) end)
{%- endmacro %}
