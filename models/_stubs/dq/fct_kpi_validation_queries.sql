-- STUB: replaced by the staging branch
{{ config(schema='marts') }}

select
    cast(null as date) as quarter_start,
    cast(null as {{ dbt.type_string() }}) as pct_code,
    cast(null as {{ dbt.type_string() }}) as return_type,
    cast(null as {{ dbt.type_string() }}) as query_code,
    cast(null as {{ dbt.type_string() }}) as query
where false
