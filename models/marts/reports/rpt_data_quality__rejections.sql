{#-
    The data-quality statement's rejected-rows table: per reason code and raw table, the
    rejected rows (a row of a file rejected whole has no row number and is not one), the
    rejections and the files they are in, over every month in the warehouse.
-#}

with

rejections as (

    select * from {{ ref('fct_raw_row_rejections') }}

),

final as (

    select
        reason_code,
        source_table,
        cast(count(source_row_number) as bigint) as rejected_rows,
        cast(count(*) as bigint) as rejections,
        cast(count(distinct source_file) as bigint) as files
    from rejections
    group by reason_code, source_table

)

select * from final
