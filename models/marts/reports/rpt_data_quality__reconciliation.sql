{#-
    The data-quality statement's reconciliation sentence: one row with the number of raw
    files, their raw, accepted and rejected rows and the files that do not reconcile
    (raw = accepted + rejected), over every file in the warehouse.
-#}

with

reconciliation as (

    select * from {{ ref('fct_raw_file_reconciliation') }}

),

final as (

    select
        cast(count(*) as bigint) as raw_files,
        cast(coalesce(sum(raw_rows), 0) as bigint) as raw_rows,
        cast(coalesce(sum(accepted_rows), 0) as bigint) as accepted_rows,
        cast(coalesce(sum(rejected_rows), 0) as bigint) as rejected_rows,
        cast(coalesce(sum(case when is_reconciled then 0 else 1 end), 0) as bigint)
            as unreconciled_files
    from reconciliation

)

select * from final
