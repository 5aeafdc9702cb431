-- STUB: replaced by the seeds branch (seed seeds/prevalence/prevalence_ccg_modelled.csv)
select
    cast(null as {{ dbt.type_string() }}) as ccg_code,
    cast(null as bigint) as level_of_need,
    cast(null as {{ dbt.type_string() }}) as method
where false
