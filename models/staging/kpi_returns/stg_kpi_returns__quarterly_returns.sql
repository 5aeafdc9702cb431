with

base as (
    select * from {{ ref('base_kpi_returns__quarterly_returns') }}
    where rejection_reason_code is null
),

final as (
    select
        {{ kpi_return_columns() | join(',\n        ') }}
    from base
)

select * from final
