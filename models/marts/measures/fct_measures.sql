{{ config(alias='measures') }}
-- marts.measures: one row per (period, organisation, breakdown, measure), unrounded and
-- unsuppressed (docs/outputs.md section 2), from the record-level data and the
-- quarterly KPI returns.
with

record_level as (select * from {{ ref('int_measures_record_level_aggregated') }}),

kpi_returns as (select * from {{ ref('int_measures_kpi_returns_aggregated') }}),

organisations as (select * from {{ ref('dim_organisations') }}),

catalogue as (select * from {{ ref('measure_catalogue') }}),

measure_rows as (

    {{ measures_unpivot('record_level', measures_record_level_definitions(), 'record_level') }}

    union all

    {{ measures_unpivot('kpi_returns', measures_kpi_return_definitions(), 'kpi_return') }}

),

final as (

    select
        measure_rows.reporting_period_start,
        measure_rows.reporting_period_end,
        cast(measure_rows.period_type as {{ dbt.type_string() }}) as period_type,
        cast(measure_rows.status as {{ dbt.type_string() }}) as status,
        cast(measure_rows.source as {{ dbt.type_string() }}) as source,  -- noqa: RF04
        cast(measure_rows.group_type as {{ dbt.type_string() }}) as group_type,
        cast(measure_rows.org_code1 as {{ dbt.type_string() }}) as org_code1,
        cast(
            coalesce(commissioner_side.org_name, measure_rows.org_code1) as {{ dbt.type_string() }}
        )
            as org_name1,
        cast(measure_rows.org_code2 as {{ dbt.type_string() }}) as org_code2,
        cast(coalesce(provider_side.org_name, measure_rows.org_code2) as {{ dbt.type_string() }})
            as org_name2,
        cast(measure_rows.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(measure_rows.breakdown_value as {{ dbt.type_string() }}) as breakdown_value,
        cast(measure_rows.measure_id as {{ dbt.type_string() }}) as measure_id,
        cast(catalogue.measure_name as {{ dbt.type_string() }}) as measure_name,
        measure_rows.numerator,
        measure_rows.denominator,
        measure_rows.measure_value
    from measure_rows
    left join organisations as commissioner_side
        on
            commissioner_side.organisation_edition
            = {{ organisation_edition('measure_rows.reporting_period_start') }}
            and commissioner_side.group_type
            = case
                when measure_rows.group_type in ('England', 'Provider') then 'England'
                when measure_rows.group_type = 'Region' then 'Region'
                else 'Commissioner'
            end
            and measure_rows.org_code1 = commissioner_side.org_code
    left join organisations as provider_side
        on
            provider_side.era = 'all'
            and provider_side.group_type = 'Provider'
            and measure_rows.org_code2 = provider_side.org_code
    left join catalogue
        on measure_rows.measure_id = catalogue.measure_id

)

select * from final
