{#- dbt.listagg with its order: dbt-spark's ignores order_by_clause (with a warning), so a
    list would come out in whatever order the rows arrive. Here the values are sorted by
    the order expression (ascending, the only form this project uses) before they are
    joined. Found first through the root project by dbt.listagg's dispatch. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error('listagg: limit_num is not supported on Spark here') }}
    {%- endif -%}
    {%- if order_by_clause -%}
        {%- set order_expression = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {%- if modules.re.search('(?i)\\s(asc|desc)\\s*$|,', order_expression) -%}
            {{ exceptions.raise_compiler_error('listagg on Spark: order by one expression, ascending: ' ~ order_by_clause) }}
        {%- endif -%}
        array_join(
            transform(
                array_sort(collect_list(struct({{ order_expression }} as sort_key, {{ measure }} as item))),
                entry -> entry.item
            ),
            {{ delimiter_text }}
        )
    {%- else -%}
        array_join(collect_list({{ measure }}), {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}
