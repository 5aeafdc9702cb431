{#-
    Fails for every row where `expression` is not true (false or null).
    Model-level:  data_tests: [{expression_is_true: {arguments: {expression: "a <= b"}}}]
    Column-level: the expression is appended to the column, e.g. expression: ">= 0".
    Filter rows with the standard test config `where:` (config: {where: "..."}).
-#}
{% test expression_is_true(model, expression, column_name=none) %}

    select *
    from {{ model }}
    where not coalesce(
        {%- if column_name is none %} ({{ expression }})
        {%- else %} ({{ column_name }} {{ expression }})
        {%- endif %}, false
    )

{% endtest %}
