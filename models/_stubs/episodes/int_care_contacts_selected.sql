-- STUB: replaced by the staging branch
-- With --vars '{episodes_synthetic_schema: <schema>}' it reads a synthetic table of that
-- schema instead (see README_synthetic.md): for data tests and timings before staging exists.
{%- if var('episodes_synthetic_schema', '') %}
select * from {{ var('episodes_synthetic_schema') }}.int_care_contacts_selected
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as provider_code,
        cast(null as {{ dbt.type_string() }}) as care_contact_id,
        cast(null as {{ dbt.type_string() }}) as pathway_id,
        cast(null as date) as care_contact_date,
        cast(null as {{ dbt.type_string() }}) as appointment_type,
        cast(null as {{ dbt.type_string() }}) as attendance_code,
        cast(null as {{ dbt.type_string() }}) as consultation_mechanism,
        cast(null as {{ dbt.type_string() }}) as therapy_type,
        cast(null as bigint) as unique_submission_id,
        cast(null as date) as reporting_period_start
    where false
{%- endif %}
