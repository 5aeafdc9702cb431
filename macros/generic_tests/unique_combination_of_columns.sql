{#-
    Fails for every combination of `combination_of_columns` that occurs more than once,
    as dbt_utils' test of that name (not a dependency: the project has no packages).
    Null is treated as a value (two rows with the same nulls are duplicates).
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
