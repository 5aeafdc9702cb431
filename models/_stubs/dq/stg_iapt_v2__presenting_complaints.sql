-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as pathway_id,
    cast(null as {{ dbt.type_string() }}) as presenting_complaint_code,
    cast(null as {{ dbt.type_string() }}) as presenting_complaint_significance,
    cast(null as date) as presenting_complaint_date
where false
