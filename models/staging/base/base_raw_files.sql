-- One row per raw file (present or missing), with the contract columns its header lacks.
{%- set contract = ingest_contract() %}

with

inventory as (
    select * from {{ ref('raw_file_inventory') }}
),

checked as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        is_present,
        case
            {%- for entity, spec in contract.items() %}
            {%- set parts = [] %}
            {%- for column in spec.columns %}
                {%- do parts.append("case when " ~ dbt.concat(["'|'", "header_columns", "'|'"])
                    ~ " like '%|" ~ column.raw ~ "|%' then '' else '" ~ column.raw ~ ",' end") %}
            {%- endfor %}
            when source_table = '{{ spec.source_table }}' then {{ dbt.concat(parts) }}
            {%- endfor %}
        end as missing_list
    from inventory
),

final as (
    select
        part,
        source_table,
        source_file,
        submission_folder,
        is_present,
        case
            when is_present and missing_list <> ''
                then substring(missing_list, 1, length(missing_list) - 1)
        end as missing_columns
    from checked
)

select * from final
