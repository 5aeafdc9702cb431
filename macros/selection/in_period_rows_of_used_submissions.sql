{#- The rows of a stg_ model that the selection models start from (their rules 4 and 5):
    rows of the submissions int_submissions_selected marks is_used, without the rows
    dated outside their submission's reporting period. The model passes both refs,
    so its edges stay in the model. -#}
{% macro in_period_rows_of_used_submissions(rows_relation, submissions_relation) -%}
    select submitted_rows.*
    from {{ rows_relation }} as submitted_rows
    inner join {{ submissions_relation }} as submissions
        on submitted_rows.unique_submission_id = submissions.unique_submission_id
    where submissions.is_used and not submitted_rows.is_out_of_period
{%- endmacro %}
