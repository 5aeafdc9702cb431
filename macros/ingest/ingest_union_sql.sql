{#- SQL generated from the contract for the ingest marts (kept out of the models so that
    each model reads as plain SQL). -#}

{#- Relation name of an entity's model at a layer: raw, base or stg. -#}
{% macro ingest_relation(layer, entity) %}
    {%- set part = 'kpi_returns' if entity == 'quarterly_returns' else 'iapt_v2' -%}
    {{ return(ref(layer ~ '_' ~ part ~ '__' ~ entity)) }}
{% endmacro %}

{#- source_file, <count_name>: rows per file of every entity's model at a layer. -#}
{% macro ingest_row_counts(layer, count_name) %}
    {%- for entity in ingest_contract() %}
    select
        source_file,
        count(*) as {{ count_name }}
    from {{ ingest_relation(layer, entity) }}
    group by source_file
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}

{#- source_file, source_row_number: every row the reader returned, of every entity's
    base model (the lines of a file that reached the warehouse). -#}
{% macro ingest_row_numbers() %}
    {%- for entity in ingest_contract() %}
    select
        source_file,
        source_row_number
    from {{ ingest_relation('base', entity) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}

{#- The rejected rows of every base model, in the shape of fct_raw_row_rejections
    (before the reason text): the rows stored with a reason, and every row of a folder
    that duplicates another folder's UniqueSubmissionID (a folder-level reason, so it
    comes before the row's own). -#}
{% macro ingest_rejected_rows() %}
    {%- for entity, spec in ingest_contract().items() %}
    select
        '{{ spec.source_table }}' as source_table,
        source_file,
        source_row_number,
        {%- if entity == 'quarterly_returns' %}
        cast(null as {{ dbt.type_string() }}) as submission_folder,
        cast(null as bigint) as unique_submission_id,
        {%- else %}
        submission_folder,
        unique_submission_id,
        {%- endif %}
        rejection_reason_code as reason_code,
        rejection_detail
    from {{ ingest_relation('base', entity) }}
    where rejection_reason_code is not null
        {%- if entity != 'quarterly_returns' %}
        and {{ ingest_folder_is_not_duplicate() }}
        {%- endif %}
    {%- if entity != 'quarterly_returns' %}
    union all
    select
        '{{ spec.source_table }}' as source_table,
        duplicate_rows.source_file,
        duplicate_rows.source_row_number,
        duplicate_rows.submission_folder,
        duplicate_rows.unique_submission_id,
        duplicate_folders.duplicate_reason_code as reason_code,
        duplicate_folders.duplicate_reason as rejection_detail
    from {{ ingest_relation('base', entity) }} as duplicate_rows
    inner join {{ ref('base_iapt_v2__submission_folders') }} as duplicate_folders
        on duplicate_rows.submission_folder = duplicate_folders.submission_folder
    where duplicate_folders.duplicate_reason_code is not null
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}

{#- Text description of a reason_code column. -#}
{% macro ingest_reason_description(column) %}
    case {{ column }}
        {%- for code, description in rejection_reasons() %}
        when '{{ code }}' then '{{ description | replace("'", "''") }}'
        {%- endfor %}
    end
{% endmacro %}

{#- Comma-separated contract columns missing from a '|'-joined header_columns column
    followed by a trailing comma ('' when none), per source_table. -#}
{% macro ingest_missing_columns_list(header_column, table_column) %}
    case
    {%- for entity, spec in ingest_contract().items() %}
        {%- set parts = [] %}
        {%- for column in spec.columns %}
            {%- do parts.append("case when " ~ dbt.concat(["'|'", header_column, "'|'"])
                ~ " like '%|" ~ column.raw ~ "|%' then '' else '" ~ column.raw ~ ",' end") %}
        {%- endfor %}
        when {{ table_column }} = '{{ spec.source_table }}' then {{ dbt.concat(parts) }}
    {%- endfor %}
    end
{% endmacro %}

{#- Condition on a base_iapt_v2__ row: its folder is not a duplicate of another folder's
    UniqueSubmissionID (base_iapt_v2__submission_folders.duplicate_reason_code). That
    check spans folders, so it is applied when rows are read, not stored with them. -#}
{% macro ingest_folder_is_not_duplicate(folder_column='submission_folder') %}
    {{ folder_column }} not in (
        select duplicate_folders.submission_folder
        from {{ ref('base_iapt_v2__submission_folders') }} as duplicate_folders
        where duplicate_folders.duplicate_reason_code is not null
    )
{% endmacro %}
