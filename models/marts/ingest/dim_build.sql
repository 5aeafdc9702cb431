{{ config(post_hook="{{ check_as_at_month_has_data() }}") }}
-- One row describing this build: the as-at month it was built for, which raw input it
-- read (a fingerprint over every file's path and signature), whether that input is
-- synthetic, and when/with what it ran. publish refuses a month other than as_at_month.
{%- set literal = as_at_month_literal() %}
with

inventory as (select * from {{ ref('raw_file_inventory') }}),

build_context as (select * from {{ ref('raw_build_context') }}),

headers as (select * from {{ ref('stg_iapt_v2__headers') }}),

kpi_returns as (select * from {{ ref('stg_kpi_returns__quarterly_returns') }}),

raw_input as (
    select
        count(*) as raw_file_count,
        -- an empty raw root (a README only) still has a fingerprint
        {{ dbt.hash("coalesce(" ~ dbt.listagg(
            dbt.concat(["source_file", "':'", "coalesce(file_signature, 'absent')"]),
            "'|'",
            "order by source_file"
        ) ~ ", '')") }} as raw_fingerprint
    from inventory
),

as_at as (
    select
        {{ as_at_month_start() }} as as_at_month_start,
        {{ as_at_month_end() }} as as_at_month_end
),

-- from the accepted rows directly, so it holds even when only this model is rebuilt
data_span as (
    select
        (select min(reporting_period_start) from headers) as earliest_reporting_month_start,
        (select min(quarter_end) from kpi_returns) as earliest_kpi_quarter_end,
        (
            select count(*) from headers
            where headers.reporting_period_start <= (select as_at.as_at_month_end from as_at)
        ) as headers_in_scope_count,
        (
            select count(*) from kpi_returns
            where kpi_returns.quarter_end <= (select as_at.as_at_month_end from as_at)
        ) as kpi_returns_in_scope_count
),

final as (
    select
        substring(cast(as_at.as_at_month_start as {{ dbt.type_string() }}), 1, 7) as as_at_month,
        as_at.as_at_month_start,
        as_at.as_at_month_end,
        {{ 'true' if literal is not none else 'false' }} as is_as_at_month_requested,
        raw_input.raw_fingerprint,
        raw_input.raw_file_count,
        build_context.is_synthetic,
        build_context.synthetic_marker,
        data_span.headers_in_scope_count,
        data_span.kpi_returns_in_scope_count,
        data_span.earliest_reporting_month_start,
        data_span.earliest_kpi_quarter_end,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as built_at,
        '{{ invocation_id }}' as invocation_id,
        '{{ dbt_version }}' as dbt_version,
        build_context.project_version,
        '{{ target.name }}' as target_name,
        '{{ target.type }}' as engine
    from as_at
    cross join raw_input
    cross join build_context
    cross join data_span
)

select * from final
