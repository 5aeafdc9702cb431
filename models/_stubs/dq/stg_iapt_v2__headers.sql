-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as date) as reporting_period_end,
    cast(null as {{ dbt.type_string() }}) as file_type,
    cast(null as {{ dbt.type_timestamp() }}) as submitted_at,
    cast(null as {{ dbt.type_string() }}) as data_set_version,
    cast(null as {{ dbt.type_string() }}) as submission_folder
where false
