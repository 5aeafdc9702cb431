-- STUB: replaced by the staging branch
{{ config(schema='marts') }}

select
    cast(null as {{ dbt.type_string() }}) as source_table,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as raw_rows,
    cast(null as bigint) as accepted_rows,
    cast(null as bigint) as rejected_rows,
    cast(null as boolean) as is_reconciled
where false
