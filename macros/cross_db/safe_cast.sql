{#- dbt.safe_cast must give null for a value that does not cast, not fail the query.
    dbt-duckdb does not implement it (dbt's default is a plain cast) and dbt-spark's is a
    plain cast too, which fails under Spark's ANSI mode (on by default since Spark 4).
    Both engines have try_cast. Found first through the root project by dbt.safe_cast's
    dispatch. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
