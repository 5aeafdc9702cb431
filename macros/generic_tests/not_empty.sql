{#-
    Fails (one row) when the model has no rows, optionally after the `where` config.
-#}
{% test not_empty(model) %}

    select count(*) as n_rows
    from {{ model }}
    having count(*) = 0

{% endtest %}
