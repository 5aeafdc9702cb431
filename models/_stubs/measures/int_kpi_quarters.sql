-- STUB: replaced by the staging branch (intermediate layer)
select
    cast(null as date) as quarter_start,
    cast(null as date) as quarter_end,
    cast(null as {{ dbt.type_string() }}) as quarter_label,
    cast(null as {{ dbt.type_string() }}) as status
where false
