-- STUB: replaced by the staging branch
{{ config(schema='marts') }}

select
    cast(null as {{ dbt.type_string() }}) as source_table,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as {{ dbt.type_string() }}) as submission_folder,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as reason_code,
    cast(null as {{ dbt.type_string() }}) as reason
where false
