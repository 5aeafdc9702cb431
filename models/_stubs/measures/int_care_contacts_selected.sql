-- STUB: replaced by the staging branch (intermediate layer)
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
