-- STUB: replaced by the staging branch
select
    cast(null as {{ dbt.type_string() }}) as pathway_id,
    cast(null as {{ dbt.type_string() }}) as presenting_complaint_code,
    cast(null as {{ dbt.type_string() }}) as presenting_complaint_significance,
    cast(null as date) as presenting_complaint_date
where false
