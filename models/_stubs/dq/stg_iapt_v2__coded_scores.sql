-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as bigint) as unique_submission_id,
    cast(null as {{ dbt.type_string() }}) as provider_code,
    cast(null as date) as reporting_period_start,
    cast(null as {{ dbt.type_string() }}) as pathway_id,
    cast(null as {{ dbt.type_string() }}) as care_contact_id,
    cast(null as {{ dbt.type_string() }}) as questionnaire_code,
    cast(null as decimal(18, 6)) as score,
    cast(null as date) as score_date,
    cast(null as boolean) as is_score_in_range,
    cast(null as boolean) as is_out_of_period
where false
