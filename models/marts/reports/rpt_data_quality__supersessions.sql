{#-
    The data-quality statement's supersessions table: the submissions per selection
    reason (used, superseded by refresh, ...).
-#}

with

submissions as (

    select * from {{ ref('dim_submissions') }}

),

final as (

    select
        selection_reason,
        cast(count(*) as bigint) as submissions
    from submissions
    group by selection_reason

)

select * from final
