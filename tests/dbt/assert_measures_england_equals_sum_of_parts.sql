-- For every count measure, period and breakdown: England equals the sum over each
-- lower level (UNKNOWN commissioners and regions included). Record-level: regions,
-- commissioners, providers and commissioner/provider pairs (Total) and commissioners
-- and providers (each breakdown). KPI returns: SHAs and PCTs. An England row whose
-- parts are missing altogether fails too (unless England is 0).
{%- set record_counts = measures_count_ids(measures_record_level_definitions()) %}
{%- set kpi_counts = measures_count_ids(measures_kpi_return_definitions()) %}
{%- set expected_parts = [
    ('record_level', 'Total', 'Region'),
    ('record_level', 'Total', 'Commissioner'),
    ('record_level', 'Total', 'Provider'),
    ('record_level', 'Total', 'Commissioner/Provider'),
    ('record_level', 'Breakdown', 'Commissioner'),
    ('record_level', 'Breakdown', 'Provider'),
    ('kpi_return', 'Total', 'Region'),
    ('kpi_return', 'Total', 'Commissioner'),
] %}

with

measures as (

    select * from {{ ref('fct_measures') }}
    where
        (
            source = 'record_level'
            and measure_id in (
                {{ measures_sql_list(record_counts) }}
            )
        )
        or (
            source = 'kpi_return'
            and measure_id in (
                {{ measures_sql_list(kpi_counts) }}
            )
        )

),

expected_parts as (

    {%- for part_source, kind, part in expected_parts %}
        select
            '{{ part_source }}' as part_source,
            '{{ kind }}' as breakdown_kind,
            '{{ part }}' as part_group_type
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

england as (

    select
        source,
        period_type,
        reporting_period_start,
        breakdown,
        breakdown_value,
        measure_id,
        coalesce(measure_value, 0) as england_value,
        case when breakdown = 'Total' then 'Total' else 'Breakdown' end as breakdown_kind
    from measures
    where group_type = 'England'

),

parts as (

    select
        source,
        period_type,
        reporting_period_start,
        breakdown,
        breakdown_value,
        measure_id,
        group_type,
        sum(coalesce(measure_value, 0)) as parts_value
    from measures
    where group_type != 'England'
    group by
        source,
        period_type,
        reporting_period_start,
        breakdown,
        breakdown_value,
        measure_id,
        group_type

),

compared as (

    select
        england.source,
        england.period_type,
        england.reporting_period_start,
        england.breakdown,
        england.breakdown_value,
        england.measure_id,
        expected_parts.part_group_type,
        england.england_value,
        coalesce(parts.parts_value, 0) as parts_value
    from england
    inner join expected_parts
        on
            england.source = expected_parts.part_source
            and england.breakdown_kind = expected_parts.breakdown_kind
    left join parts
        on
            england.source = parts.source
            and england.period_type = parts.period_type
            and england.reporting_period_start = parts.reporting_period_start
            and england.breakdown = parts.breakdown
            and england.breakdown_value = parts.breakdown_value
            and england.measure_id = parts.measure_id
            and expected_parts.part_group_type = parts.group_type

)

select * from compared
where england_value != parts_value
