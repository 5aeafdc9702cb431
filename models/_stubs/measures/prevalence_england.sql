-- STUB: replaced by the seeds branch (seed seeds/prevalence/prevalence_england.csv)
select
    cast(null as {{ dbt.type_string() }}) as financial_year,
    cast(null as bigint) as level_of_need,
    cast(null as {{ dbt.type_string() }}) as source
where false
