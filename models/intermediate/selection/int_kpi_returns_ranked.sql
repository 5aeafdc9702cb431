-- The supersession ranking of the accepted KPI returns (input contract Part B), written
-- once for int_kpi_returns_selected and fct_kpi_validation_queries.
-- Per PCT, quarter and return type: the latest Original is used (ties: the later file,
-- then the later row), earlier ones are superseded; the earliest Resubmission is the
-- accepted one (staging already rejects later ones as late_resubmission).
-- Among the used returns, the Resubmission gives the Final figures, else the Original.
with

quarters as (select * from {{ ref('int_kpi_quarters_enumerated') }}),

kpi_returns as (
    select kpi_returns.*
    from {{ ref('stg_kpi_returns__quarterly_returns') }} as kpi_returns
    inner join quarters
        on kpi_returns.quarter_start = quarters.quarter_start
),

ordered as (
    select
        kpi_returns.*,
        row_number() over (
            partition by kpi_returns.pct_code, kpi_returns.quarter_start, kpi_returns.return_type
            order by
                kpi_returns.submitted_at desc,
                kpi_returns.source_file desc,
                kpi_returns.source_row_number desc
        ) as latest_first,
        row_number() over (
            partition by kpi_returns.pct_code, kpi_returns.quarter_start, kpi_returns.return_type
            order by
                kpi_returns.submitted_at,
                kpi_returns.source_file,
                kpi_returns.source_row_number
        ) as earliest_first
    from kpi_returns
),

ranked as (
    select
        ordered.*,
        case
            when ordered.return_type = 'Resubmission' then ordered.earliest_first
            else ordered.latest_first
        end as return_rank
    from ordered
),

used as (
    select
        ranked.*,
        ranked.return_rank = 1 as is_used
    from ranked
),

final_ordered as (
    -- partitioned by is_used so that superseded returns never take a place
    select
        used.*,
        row_number() over (
            partition by used.pct_code, used.quarter_start, used.is_used
            order by case when used.return_type = 'Resubmission' then 0 else 1 end
        ) as used_order
    from used
),

final as (
    select
        {{ kpi_return_columns() | join(',\n        ') }},
        return_rank,
        is_used,
        case when is_used then used_order end as final_rank
    from final_ordered
)

select * from final
