-- STUB: replaced by the staging branch
-- With --vars '{episodes_synthetic_schema: <schema>}' it reads a synthetic table of that
-- schema instead (see README_synthetic.md): for data tests and timings before staging exists.
{%- if var('episodes_synthetic_schema', '') %}
select * from {{ var('episodes_synthetic_schema') }}.int_employment_statuses_selected
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as provider_code,
        cast(null as {{ dbt.type_string() }}) as local_patient_id,
        cast(null as {{ dbt.type_string() }}) as employment_status,
        cast(null as date) as employment_status_date,
        cast(null as {{ dbt.type_string() }}) as ssp_indicator,
        cast(null as {{ dbt.type_string() }}) as benefit_indicator,
        cast(null as bigint) as unique_submission_id,
        cast(null as date) as reporting_period_start
    where false
{%- endif %}
