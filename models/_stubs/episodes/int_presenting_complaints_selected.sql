-- STUB: replaced by the staging branch
-- With --vars '{episodes_synthetic_schema: <schema>}' it reads a synthetic table of that
-- schema instead (see README_synthetic.md): for data tests and timings before staging exists.
{%- if var('episodes_synthetic_schema', '') %}
select * from {{ var('episodes_synthetic_schema') }}.int_presenting_complaints_selected
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as pathway_id,
        cast(null as {{ dbt.type_string() }}) as presenting_complaint_code,
        cast(null as {{ dbt.type_string() }}) as presenting_complaint_significance,
        cast(null as date) as presenting_complaint_date
    where false
{%- endif %}
