-- Record-level: an organisation other than England appears in a period (and breakdown)
-- only when at least one of its count measures is non-zero there.
{%- set counts = measures_count_ids(measures_record_level_definitions()) %}

with

count_rows as (

    select * from {{ ref('fct_measures') }}
    where
        source = 'record_level'
        and group_type != 'England'
        and measure_id in ({{ measures_sql_list(counts) }})

),

per_key as (

    select
        period_type,
        reporting_period_start,
        group_type,
        org_code1,
        org_code2,
        breakdown,
        breakdown_value,
        max(measure_value) as max_count
    from count_rows
    group by
        period_type,
        reporting_period_start,
        group_type,
        org_code1,
        org_code2,
        breakdown,
        breakdown_value

)

select * from per_key
where coalesce(max_count, 0) = 0
