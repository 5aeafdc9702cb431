-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as local_patient_id,
    cast(null as {{ dbt.type_string() }}) as employment_status,
    cast(null as {{ dbt.type_string() }}) as employment_status_validity,
    cast(null as date) as employment_status_date,
    cast(null as {{ dbt.type_string() }}) as ssp_indicator,
    cast(null as {{ dbt.type_string() }}) as ssp_indicator_validity,
    cast(null as {{ dbt.type_string() }}) as benefit_indicator,
    cast(null as {{ dbt.type_string() }}) as benefit_indicator_validity,
    cast(null as boolean) as is_out_of_period
where false
