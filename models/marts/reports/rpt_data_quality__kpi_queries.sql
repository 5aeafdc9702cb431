{#-
    The data-quality statement's KPI validation queries table: per query code, the
    queries raised and the PCTs and quarters they concern.
-#}

with

queries as (

    select * from {{ ref('fct_kpi_validation_queries') }}

),

final as (

    select
        query_code,
        cast(count(*) as bigint) as queries,
        cast(count(distinct pct_code) as bigint) as pcts,
        cast(count(distinct quarter_start) as bigint) as quarters
    from queries
    group by query_code

)

select * from final
