{#- The count columns of a VODIM row, in order. -#}
{% macro vodim_count_columns() %}
    {{ return(['total_rows', 'valid_count', 'other_count', 'default_count', 'invalid_count',
               'missing_count', 'unclassified_count']) }}
{% endmacro %}

{#- Aggregates turning (validity, row count) rows into the VODIM count columns; a
    validity outside the five values (or null) is unclassified. -#}
{% macro vodim_counts(validity, row_count) %}
    sum({{ row_count }}) as total_rows,
    {%- for value in ['valid', 'other', 'default', 'invalid', 'missing'] %}
    sum(case when {{ validity }} = '{{ value }}' then {{ row_count }} else 0 end)
        as {{ value }}_count,
    {%- endfor %}
    sum(
        case
            when {{ validity }} in ('valid', 'other', 'default', 'invalid', 'missing')
                then 0
            else {{ row_count }}
        end
    ) as unclassified_count
{%- endmacro %}

{#- Flagged rows of a (submission, file) group as <prefix>_rows (a null flag does not
    count); dq_flag_totals sums them per submission with the files holding them. -#}
{% macro dq_flag_count(flag, prefix) %}
    sum(case when {{ flag }} then 1 else 0 end) as {{ prefix }}_rows
{%- endmacro %}
