{#- Body of a raw_* model: the rows of every file of one source_table, all text, read
    once. Incremental: a run reads only files that are new or changed (by size and
    modification time, see raw_file_inventory); raw_delete_stale_files (pre-hook) drops
    rows of files that changed or disappeared. --full-refresh reads everything. -#}
{% macro raw_table(source_table) %}
    {%- set spec = ingest_table_by_source(source_table) -%}
    {%- set columns = spec.columns | map(attribute='raw') | list -%}
    {%- set files = [] -%}
    {#- Files grouped by their exact header row, so each group is read with its columns
        named up front (no per-file sniffing: ~20x faster on thousands of small files). -#}
    {%- set layouts = {} -%}
    {#- The inventory does not exist before the first build (e.g. when sqlfluff compiles
        the project on a fresh clone): then there is nothing to read. -#}
    {%- if execute and load_relation(ref('raw_file_inventory')) is not none -%}
        {%- set query -%}
            select inventory.file_path, inventory.header_columns
            from {{ ref('raw_file_inventory') }} as inventory
            where inventory.source_table = '{{ source_table }}'
                and inventory.is_present
                and inventory.header_columns <> ''
                {%- if is_incremental() %}
                and not exists (
                    select 1 from {{ this }} as loaded
                    where loaded.source_file = inventory.source_file
                        and loaded.file_signature = inventory.file_signature
                )
                {%- endif %}
            order by inventory.source_file
        {%- endset -%}
        {%- for row in run_query(query).rows -%}
            {%- do files.append(row[0]) -%}
            {%- if row[1] not in layouts -%}{%- do layouts.update({row[1]: []}) -%}{%- endif -%}
            {%- do layouts[row[1]].append(row[0]) -%}
        {%- endfor -%}
        {%- if files | length == 0 -%}
            {{ log(this.identifier ~ ": no new " ~ source_table ~ " file to read", info=true) }}
        {%- else -%}
            {{ log(this.identifier ~ ": reading " ~ files | length ~ " " ~ source_table ~ " file(s)", info=true) }}
        {%- endif -%}
    {%- endif %}
with

inventory as (
    select * from {{ ref('raw_file_inventory') }}
),

rows_read as (
    {%- if files | length > 0 %}
    {{ read_raw_csv(layouts, columns) }}
    {%- else %}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as "{{ column }}",
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as file_path,
        cast(null as bigint) as source_row_number
    where 1 = 0
    {%- endif %}
),

final as (
    select
        {%- for column in columns %}
        rows_read."{{ column }}",
        {%- endfor %}
        inventory.source_file,
        rows_read.source_row_number,
        inventory.submission_folder,
        inventory.file_signature
    from rows_read
    inner join inventory
        on rows_read.file_path = inventory.file_path
)

select * from final
{% endmacro %}

{#- Pre-hook of the raw_* models: on an incremental run, delete the rows of files that
    are gone or changed, so that they are re-read (or dropped). -#}
{% macro raw_delete_stale_files() %}
    {%- if is_incremental() -%}
        delete from {{ this }} as loaded
        where not exists (
            select 1 from {{ ref('raw_file_inventory') }} as inventory
            where inventory.source_file = loaded.source_file
                and inventory.file_signature = loaded.file_signature
        )
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{% endmacro %}
