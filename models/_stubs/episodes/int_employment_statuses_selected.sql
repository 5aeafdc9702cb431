-- STUB: replaced by the staging branch
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
