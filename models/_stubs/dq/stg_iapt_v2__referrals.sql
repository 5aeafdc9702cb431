-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as service_request_id,
    cast(null as {{ dbt.type_string() }}) as pathway_id,
    cast(null as {{ dbt.type_string() }}) as local_patient_id,
    cast(null as {{ dbt.type_string() }}) as commissioner_code,
    cast(null as date) as referral_received_date,
    cast(null as {{ dbt.type_string() }}) as source_of_referral,
    cast(null as {{ dbt.type_string() }}) as source_of_referral_validity,
    cast(null as integer) as age_at_referral,
    cast(null as date) as discharge_date_submitted,
    cast(null as date) as discharge_date,
    cast(null as boolean) as is_discharge_before_referral,
    cast(null as {{ dbt.type_string() }}) as end_code,
    cast(null as {{ dbt.type_string() }}) as end_code_validity
where false
