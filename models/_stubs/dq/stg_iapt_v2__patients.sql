-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as local_patient_id,
    cast(null as {{ dbt.type_string() }}) as gender_code,
    cast(null as {{ dbt.type_string() }}) as gender_validity,
    cast(null as {{ dbt.type_string() }}) as ethnic_category,
    cast(null as {{ dbt.type_string() }}) as ethnic_category_validity,
    cast(null as {{ dbt.type_string() }}) as lsoa_2011
where false
