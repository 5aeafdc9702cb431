{#- dbt-duckdb does not implement dbt.safe_cast, so dbt's default (a plain cast, which
    fails the whole query on one bad value) would be used. DuckDB's try_cast returns null
    instead. Found first through the root project by dbt.safe_cast's dispatch. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
