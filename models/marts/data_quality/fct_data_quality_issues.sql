{#-
    Every kind of input problem, counted once per source table: rejected rows by
    reason (fct_raw_row_rejections), rows kept but flagged in staging, and KPI
    validation queries. The kinds are the reason codes, flags and query codes of
    docs/architecture.md, so they line up with the generator's faults_manifest.json.
    Counts cover all accepted rows, including those of superseded submissions. Flags
    are counted per submission in int_row_flags_counted (a file belongs to one
    submission, so file counts add up).
-#}
with

rejections as (select * from {{ ref('fct_raw_row_rejections') }}),

vodim as (select * from {{ ref('fct_data_quality_vodim') }}),

flags as (select * from {{ ref('int_row_flags_counted') }}),

kpi_queries as (select * from {{ ref('fct_kpi_validation_queries') }}),

rejected as (

    select
        'rejection' as issue_category,
        reason_code as issue_kind,
        source_table,
        count(source_row_number) as row_count,
        count(*) as occurrence_count,
        count(distinct source_file) as file_count
    from rejections
    group by reason_code, source_table

),

invalid_codes as (

    select
        'flag' as issue_category,
        'invalid_code' as issue_kind,
        source_table,
        sum(invalid_count) as row_count,
        sum(invalid_count) as occurrence_count,
        cast(null as bigint) as file_count
    from vodim
    where check_type = 'code_list'
    group by source_table

),

flagged as (

    select
        'flag' as issue_category,
        issue_kind,
        source_table,
        sum(row_count) as row_count,
        sum(row_count) as occurrence_count,
        sum(file_count) as file_count
    from flags
    group by issue_kind, source_table

),

queried as (

    select
        'kpi_validation_query' as issue_category,
        query_code as issue_kind,
        'kpi_returns' as source_table,
        cast(0 as bigint) as row_count,
        count(*) as occurrence_count,
        cast(null as bigint) as file_count
    from kpi_queries
    group by query_code

),

unioned as (

    select * from rejected
    union all
    select * from invalid_codes
    union all
    select * from flagged
    union all
    select * from queried

),

final as (

    select
        issue_category,
        issue_kind,
        source_table,
        cast(row_count as bigint) as row_count,
        cast(occurrence_count as bigint) as occurrence_count,
        cast(file_count as bigint) as file_count
    from unioned
    where occurrence_count > 0

)

select * from final
