{#- Body of a raw_* model (ephemeral): the rows, all text, of the files of one
    source_table that its base_ model has not loaded yet. Each file is parsed once per
    build, straight into the typed base_ table (no text copy is stored).

    loaded_into: the base_ model that keeps the rows, incremental by submission folder
    (macros/incremental/incremental_by_folder.sql): a folder is read again only when
    that table holds no row of it with its current load_signature, i.e. the folder is
    new or changed, or the model's code changed; drop_stale_folders (its pre-hook) drops
    the old rows. Without loaded_into, or with --full-refresh, every file is read. -#}
{% macro raw_rows(source_table, loaded_into=none) %}
    {%- set spec = ingest_table_by_source(source_table) -%}
    {%- set columns = spec.columns | map(attribute='raw') | list -%}
    {%- set files = [] -%}
    {#- Files grouped by their exact header row and read encoding, so each group is one
        read with the column positions known up front (no per-file sniffing). -#}
    {%- set layouts = [] -%}
    {%- set layout_index = {} -%}
    {#- The inventory does not exist before the first build (e.g. when sqlfluff compiles
        the project on a fresh clone): then there is nothing to read. -#}
    {%- if execute and load_relation(ref('raw_file_inventory')) is not none -%}
        {%- set loaded = none -%}
        {%- if loaded_into is not none and not flags.FULL_REFRESH -%}
            {%- set loaded = adapter.get_relation(database=this.database, schema=this.schema, identifier=loaded_into) -%}
        {%- endif -%}
        {%- set query -%}
            select inventory.file_path, inventory.header_columns, inventory.read_encoding
            from {{ ref('raw_file_inventory') }} as inventory
            where inventory.source_table = '{{ source_table }}'
                and inventory.is_present
                and inventory.file_reason_code is null
                and inventory.has_data_rows
                {%- if loaded is not none %}
                and not exists (
                    select 1
                    from (select distinct submission_folder, load_signature from {{ loaded }}) as loaded
                    where loaded.submission_folder = inventory.submission_folder
                        and loaded.load_signature
                        = {{ load_signature('inventory.folder_signature', loaded_into) }}
                )
                {%- endif %}
            order by inventory.source_file
        {%- endset -%}
        {%- for row in run_query(query).rows -%}
            {%- do files.append(row[0]) -%}
            {%- set key = row[2] ~ ':' ~ row[1] -%}
            {%- if key not in layout_index -%}
                {%- do layout_index.update({key: layouts | length}) -%}
                {%- do layouts.append({'header': row[1], 'encoding': row[2], 'paths': []}) -%}
            {%- endif -%}
            {%- do layouts[layout_index[key]].paths.append(row[0]) -%}
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
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as file_path,
        cast(null as bigint) as source_row_number,
        cast(null as bigint) as field_count,
        cast(null as {{ dbt.type_boolean() }}) as is_blank,
        cast(null as {{ dbt.type_boolean() }}) as has_unterminated_quote
    where 1 = 0
    {%- endif %}
),

{#- Row-level format faults (docs/ingest.md): the line is not a record, so it is
    rejected before any value check; the physical line is source_row_number + 1. -#}
{%- set line_text = dbt.safe_cast('rows_read.source_row_number + 1', dbt.type_string()) %}
{%- set physical_text = dbt.safe_cast('physical_line', dbt.type_string()) %}
{%- set line_listed = dbt.position(
    dbt.concat(["','", line_text, "','"]),
    dbt.concat(["','", 'inventory.bad_encoding_lines', "','"])) %}
located as (
    select
        rows_read.*,
        rows_read.source_row_number + 1 as physical_line,
        inventory.source_file,
        inventory.submission_folder,
        inventory.folder_signature,
        case
            when rows_read.is_blank then 'blank_line'
            when inventory.bad_encoding_lines is not null and {{ line_listed }} > 0
                then 'bad_encoding'
            when rows_read.has_unterminated_quote then 'unterminated_quote'
            when rows_read.field_count <> inventory.header_field_count then 'malformed_row'
        end as format_reason_code,
        inventory.header_field_count
    from rows_read
    inner join inventory
        on rows_read.file_path = inventory.file_path
),

final as (
    select
        {%- for column in columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        source_file,
        source_row_number,
        submission_folder,
        folder_signature,
        format_reason_code,
        case format_reason_code
            when 'blank_line' then {{ dbt.concat(["'line '", physical_text, "' is blank'"]) }}
            when 'bad_encoding' then {{ dbt.concat(["'line '", physical_text, "' is not valid UTF-8'"]) }}
            when 'unterminated_quote' then {{ dbt.concat(["'line '", physical_text,
                "': a quoted field is not closed on its line'"]) }}
            when 'malformed_row' then {{ dbt.concat(["'line '", physical_text,
                "': '", dbt.safe_cast('field_count', dbt.type_string()), "' fields, the header has '",
                dbt.safe_cast('header_field_count', dbt.type_string())]) }}
        end as format_reason_detail
    from located
)

select * from final
{% endmacro %}
