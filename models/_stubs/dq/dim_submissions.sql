-- STUB: replaced by the staging branch
{{ config(schema='marts') }}

select
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as date) as reporting_period_end,
    cast(null as {{ dbt.type_string() }}) as file_type,
    cast(null as {{ dbt.type_timestamp() }}) as submitted_at,
    cast(null as {{ dbt.type_string() }}) as submission_folder,
    cast(null as boolean) as is_used,
    cast(null as {{ dbt.type_string() }}) as selection_reason,
    cast(null as bigint) as superseded_by_submission_id
where false
