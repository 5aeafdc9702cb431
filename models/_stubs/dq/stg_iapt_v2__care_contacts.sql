-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as care_contact_id,
    cast(null as {{ dbt.type_string() }}) as pathway_id,
    cast(null as date) as care_contact_date,
    cast(null as {{ dbt.type_string() }}) as appointment_type,
    cast(null as {{ dbt.type_string() }}) as appointment_type_validity,
    cast(null as {{ dbt.type_string() }}) as attendance_code,
    cast(null as {{ dbt.type_string() }}) as attendance_code_validity,
    cast(null as {{ dbt.type_string() }}) as consultation_mechanism,
    cast(null as {{ dbt.type_string() }}) as consultation_mechanism_validity,
    cast(null as {{ dbt.type_string() }}) as therapy_type,
    cast(null as {{ dbt.type_string() }}) as therapy_type_validity,
    cast(null as boolean) as is_out_of_period
where false
