-- "A zero is a row, not a gap": every (period, organisation, breakdown) that appears
-- carries every measure of its source (Total rows: the full list; breakdown rows: the
-- supplementary measures; K104 at England and Region only), each exactly once.
{%- set record_total = measures_record_level_definitions() | length %}
{%- set record_breakdown = measures_record_level_definitions()
    | selectattr('supplementary') | list | length %}
{%- set kpi_all = measures_kpi_return_definitions() | length %}

with

per_key as (

    select
        source,
        period_type,
        reporting_period_start,
        group_type,
        org_code1,
        org_code2,
        breakdown,
        breakdown_value,
        count(*) as measure_rows,
        count(distinct measure_id) as measure_ids
    from {{ ref('fct_measures') }}
    group by
        source,
        period_type,
        reporting_period_start,
        group_type,
        org_code1,
        org_code2,
        breakdown,
        breakdown_value

),

expected as (

    select
        *,
        case
            when source = 'record_level' and breakdown = 'Total' then {{ record_total }}
            when source = 'record_level' then {{ record_breakdown }}
            when group_type in ('England', 'Region') then {{ kpi_all }}
            else {{ kpi_all - 1 }}
        end as expected_measures
    from per_key

)

select * from expected
where measure_rows != expected_measures or measure_ids != expected_measures
