{#- A select-list expression that turns one row into one row per integer 1..upper_bound
    (upper_bound: an integer column or expression of the same row; 0 or null gives none). -#}
{% macro integer_series(upper_bound) -%}
    {{ return(adapter.dispatch('integer_series', 'iapt_warehouse')(upper_bound)) }}
{%- endmacro %}

{% macro duckdb__integer_series(upper_bound) -%}
    unnest(range(1, {{ upper_bound }} + 1))
{%- endmacro %}

{% macro spark__integer_series(upper_bound) -%}
    explode(sequence(1, greatest({{ upper_bound }}, 1)))
{%- endmacro %}
