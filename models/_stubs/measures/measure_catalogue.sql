-- STUB: replaced by the seeds branch (seed seeds/measures/measure_catalogue.csv)
select
    cast(null as {{ dbt.type_string() }}) as measure_id,
    cast(null as {{ dbt.type_string() }}) as measure_name,
    cast(null as {{ dbt.type_string() }}) as measure_type,
    cast(null as {{ dbt.type_string() }}) as sources,
    cast(null as boolean) as is_supplementary,
    cast(null as {{ dbt.type_string() }}) as numerator_measure_id,
    cast(null as {{ dbt.type_string() }}) as denominator_description,
    cast(null as {{ dbt.type_string() }}) as description
where false
