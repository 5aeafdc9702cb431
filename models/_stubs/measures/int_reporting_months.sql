-- STUB: replaced by the staging branch (intermediate layer)
select
    cast(null as date) as reporting_period_start,
    cast(null as date) as reporting_period_end,
    cast(null as {{ dbt.type_string() }}) as status,
    cast(null as bigint) as used_submission_count
where false
