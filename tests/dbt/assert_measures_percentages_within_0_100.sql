-- Every percentage measure lies within 0-100, except the access rate K101 (a share of
-- the level of need, which a small area can exceed), K102 (people entering treatment
-- in a period may exceed those referred in it: input contract Part B) and the changes
-- on the previous quarter K111-K113 (may be negative or above 100).
-- KPI returns are used even when they fail validation (input contract Part B), so a
-- KPI-return row is exempt only when a PCT within it has a query that can push a rate
-- out of range in that quarter; every other KPI-return row is still checked.
{%- set ids = [] %}
{%- for m in measures_record_level_definitions() + measures_kpi_return_definitions() %}
    {%- if m.type == 'percentage' and m.id not in ids
        and m.id not in ['K101', 'K102', 'K111', 'K112', 'K113'] %}
        {%- do ids.append(m.id) %}
    {%- endif %}
{%- endfor %}

with

measures as (select * from {{ ref('fct_measures') }}),

validation_queries as (select * from {{ ref('fct_kpi_validation_queries') }}),

pcts as (select * from {{ ref('org_pct_2011_12') }}),

scope_types as (
    select 'Commissioner' as group_type
    union all
    select 'Region' as group_type
    union all
    select 'England' as group_type
),

queried_scopes as (
    -- the Commissioner, Region and England rows each queried PCT contributes to
    select
        validation_queries.quarter_start,
        scope_types.group_type,
        case scope_types.group_type
            when 'Commissioner' then validation_queries.pct_code
            when 'Region' then pcts.sha_code
            else 'all'
        end as org_code1
    from validation_queries
    left join pcts
        on validation_queries.pct_code = pcts.pct_code
    cross join scope_types
    where validation_queries.query_code in (
            'negative_count',
            'recovery_exceeds_eligible',
            'not_at_caseness_exceeds_completed',
            'unknown_count'
        )
),

out_of_range as (
    select *
    from measures
    where
        measure_id in ({{ measures_sql_list(ids) }})
        and measure_value is not null
        and (measure_value < 0 or measure_value > 100)
),

final as (
    select out_of_range.*
    from out_of_range
    where not (
            out_of_range.source = 'kpi_return'
            and exists (
                select 1
                from queried_scopes
                where
                    queried_scopes.quarter_start = out_of_range.reporting_period_start
                    and queried_scopes.group_type = out_of_range.group_type
                    and queried_scopes.org_code1 = out_of_range.org_code1
            )
        )
)

select * from final
