{#- An 8-byte floating point type (dbt.type_float() is a 4-byte float on some engines). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'iapt_warehouse')()) }}
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}
