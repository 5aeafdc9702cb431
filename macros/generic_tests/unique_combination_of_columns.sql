{#-
    Fails for every combination of `combination_of_columns` that occurs more than once.
    Null is treated as a value (two rows with the same nulls are duplicates).

    changed_rows (optional): 'loaded' or 'pathway' (see changed_in_this_run). When the
    latest build wrote only a small share of the rows, only the keys of those rows are
    checked, against every row of the table: a duplicate always involves a row written
    by some build, and that build checked it. Otherwise the whole table is grouped.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, changed_rows=none) %}
    {%- set columns = combination_of_columns %}
    {%- if changed_rows and changed_rows_are_few(changed_rows, model) %}

    with all_rows as (
        select * from {{ model }}
    ),

    changed_keys as (
        select distinct {{ columns | join(', ') }}
        from all_rows
        where {{ changed_in_this_run(changed_rows, 'all_rows') }}
    )

    select
        {%- for c in columns %}
        all_rows.{{ c }},
        {%- endfor %}
        count(*) as n_rows
    from all_rows
    inner join changed_keys
        on
        {%- for c in columns %}
            {% if not loop.first %}and {% endif %}all_rows.{{ c }} is not distinct from changed_keys.{{ c }}
        {%- endfor %}
    group by {% for c in columns %}all_rows.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
    having count(*) > 1
    {%- else %}

    select
        {{ columns | join(',\n        ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
    {%- endif %}

{% endtest %}
