{#- Written after `<name> as` in a CTE that several others read: inline it into each
    reader instead of computing it once and streaming it to all of them. DuckDB (2.0)
    materializes a CTE read more than once, and streaming one scan of a large table to
    several aggregations is slower than scanning it in each (measured in
    docs/measures-implementation.md). Nothing on other engines, which inline by default. -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'iapt_warehouse')()) }}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}
