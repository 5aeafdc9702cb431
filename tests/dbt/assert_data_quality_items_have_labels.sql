-- Every data item VODIM reports has its plain name in the seed dq_data_items (the
-- statement prints names, never column names). Returns the items without one.
with

vodim as (select * from {{ ref('fct_data_quality_vodim') }}),

items as (select * from {{ ref('dq_data_items') }}),

reported as (
    select distinct
        source_table,
        data_item
    from vodim
),

final as (
    select
        reported.source_table,
        reported.data_item
    from reported
    left join items
        on
            reported.source_table = items.source_table
            and reported.data_item = items.data_item
    where items.data_item is null
)

select * from final
