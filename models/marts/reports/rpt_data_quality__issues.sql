{#-
    The data-quality statement's "Problems found, by kind" table: per issue kind (each
    kind belongs to one category), the rows affected, occurrences and files over every
    source table (files null when the kind counts none).
-#}

with

issues as (

    select * from {{ ref('fct_data_quality_issues') }}

),

final as (

    select
        issue_kind,
        issue_category,
        cast(sum(row_count) as bigint) as row_count,
        cast(sum(occurrence_count) as bigint) as occurrence_count,
        cast(sum(file_count) as bigint) as file_count
    from issues
    group by issue_kind, issue_category

)

select * from final
