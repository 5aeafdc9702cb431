{#- Seeds on Spark: dbt-spark's loader binds values through its session cursor, which
    writes them into the SQL without escaping (King's breaks the statement) and writes
    an empty cell as the string 'None'. This override (found first through the root
    project by load_csv_rows' dispatch) writes each value as an escaped literal and an
    empty cell as null. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({%- for value in row -%}
                cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- A Spark SQL literal of a seed cell as agate parsed it. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
