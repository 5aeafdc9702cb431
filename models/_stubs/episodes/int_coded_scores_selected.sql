-- STUB: replaced by the staging branch
-- With --vars '{episodes_synthetic_schema: <schema>}' it reads a synthetic table of that
-- schema instead (see README_synthetic.md): for data tests and timings before staging exists.
{%- if var('episodes_synthetic_schema', '') %}
select * from {{ var('episodes_synthetic_schema') }}.int_coded_scores_selected
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as pathway_id,
        cast(null as {{ dbt.type_string() }}) as care_contact_id,
        cast(null as {{ dbt.type_string() }}) as questionnaire_code,
        cast(null as decimal(18, 6)) as score,
        cast(null as date) as score_date,
        cast(null as boolean) as is_score_in_range,
        cast(null as bigint) as unique_submission_id,
        cast(null as date) as reporting_period_start
    where false
{%- endif %}
