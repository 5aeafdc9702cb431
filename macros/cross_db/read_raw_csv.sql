{#- Engine-specific file access for the ingest layer (raw_* models). -#}

{#- Read CSV files as all-text rows, one per physical line after the header: the named
    columns (null where a file lacks them), file_path (as listed), source_row_number
    (1 = the line after the header, so the physical line is source_row_number + 1) and
    the facts the row-level format checks need: field_count, is_blank,
    has_unterminated_quote. A line is one record (a quoted field may hold commas and
    doubled quotes, not line breaks), so no fault on one line can swallow the next.
    layouts: list of {header ('|'-joined names, in file order), encoding, paths};
    columns: the contract column names. Each engine reads and splits the lines its own
    way (below) into split_lines (file_path, layout_id, source_row_number, is_blank,
    has_unterminated_quote, fields: the list of field texts), and raw_csv_columns maps
    the fields to the columns. -#}
{% macro read_raw_csv(layouts, columns) %}
    {{ return(adapter.dispatch('read_raw_csv')(layouts, columns)) }}
{% endmacro %}

{% macro duckdb__read_raw_csv(layouts, columns) %}
    {#- Lines are read with DuckDB's CSV reader set to one column (separator 0x01, which
        the inventory rejects in data, no quoting), which keeps empty lines and detects
        LF / CRLF / CR per file; each line is split in SQL: string_split when it holds no
        quote, else a quote-aware regex (measured: as fast as read_csv with named
        columns, which drops empty lines and truncates a multi-file read at an
        unterminated quote). preserve_insertion_order (profile) keeps each file's lines
        in order, so a streaming row_number() minus the file's first one is its line. -#}
    with layout_lines as materialized (
    {%- for layout in layouts %}
        select
            filename as file_path,
            line,
            {{ loop.index }} as layout_id,
            row_number() over () as layout_line_number
        from read_csv(
            [{%- for path in layout.paths %}'{{ path | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor %}],
            columns = {'line': 'varchar'},
            auto_detect = false, header = false, filename = true, strict_mode = false,
            delim = chr(1), quote = '', escape = '', encoding = '{{ layout.encoding }}'
        )
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
    ),

    first_lines as (
        select
            file_path,
            min(layout_line_number) as first_line_number
        from layout_lines
        group by file_path
    ),

    split_lines as (
        select
            layout_lines.file_path,
            layout_lines.layout_id,
            layout_lines.layout_line_number - first_lines.first_line_number as source_row_number,
            coalesce(trim(layout_lines.line, chr(9) || chr(32) || chr(13)), '') = '' as is_blank,
            (length(layout_lines.line) - length(replace(layout_lines.line, '"', ''))) % 2 = 1
                as has_unterminated_quote,
            case
                when strpos(layout_lines.line, '"') = 0 then string_split(layout_lines.line, ',')
                else list_transform(
                    regexp_extract_all(',' || layout_lines.line, ',("(?:[^"]|"")*"|[^,]*)', 1),
                    lambda field: case
                        when field like '"%"' and length(field) >= 2
                            then replace(field[2:-2], '""', '"')
                        else field
                    end
                )
            end as fields
        from layout_lines
        inner join first_lines
            on layout_lines.file_path = first_lines.file_path
        where layout_lines.layout_line_number > first_lines.first_line_number
    )

    {{ raw_csv_columns(layouts, columns) }}
{% endmacro %}

{#- Spark: one binaryFile read per layout over a brace glob of its files (each file one
    row, so a file is never split across tasks and posexplode numbers its lines exactly:
    position 0 is the header). Lines end at LF or CRLF, or at CR in a file without LF, as
    the inventory counts them; a final line end ends the last line, it does not start
    an empty one. -#}
{% macro spark__read_raw_csv(layouts, columns) %}
    with layout_files as (
    {%- for layout in layouts %}
        select
            {{ loop.index }} as layout_id,
            {#- binaryFile reports an encoded file: URI; the inventory lists plain paths -#}
            url_decode(replace(regexp_replace(path, '^file:', ''), '+', '%2B')) as file_path,
            decode(content, '{{ 'ISO-8859-1' if layout.encoding == 'latin-1' else 'UTF-8' }}') as file_text
        from binaryFile.`{{ spark_path_glob(layout.paths) }}`
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
    ),

    layout_lines as (
        select
            layout_files.file_path,
            layout_files.layout_id,
            numbered_lines.line_position as source_row_number,
            numbered_lines.line
        from layout_files
        lateral view posexplode(
            split(
                regexp_replace(layout_files.file_text, '(\r\n|\n|\r)\\z', ''),
                case when instr(layout_files.file_text, '\n') > 0 then '\r?\n' else '\r' end,
                -1
            )
        ) numbered_lines as line_position, line
    ),

    split_lines as (
        select
            file_path,
            layout_id,
            source_row_number,
            coalesce(btrim(line, chr(9) || chr(32) || chr(13)), '') = '' as is_blank,
            (length(line) - length(replace(line, '"', ''))) % 2 = 1 as has_unterminated_quote,
            case
                when instr(line, '"') = 0 then split(line, ',', -1)
                else transform(
                    regexp_extract_all(concat(',', line), ',("(?:[^"]|"")*"|[^,]*)', 1),
                    field -> case
                        when field like '"%"' and length(field) >= 2
                            then replace(substring(field, 2, length(field) - 2), '""', '"')
                        else field
                    end
                )
            end as fields
        from layout_lines
        where source_row_number > 0
    )

    {{ raw_csv_columns(layouts, columns) }}
{% endmacro %}

{#- The final select of read_raw_csv over split_lines: each contract column from its
    position in the file's layout (null where the layout lacks it). -#}
{% macro raw_csv_columns(layouts, columns) %}
    select
        {%- for column in columns %}
        case
            {%- for layout in layouts %}
            {%- set names = layout.header.split('|') %}
            {%- if column in names %}
            when layout_id = {{ loop.index }} then {{ list_element('fields', names.index(column) + 1) }}
            {%- endif %}
            {%- endfor %}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        file_path,
        source_row_number,
        {{ list_length('fields') }} as field_count,
        is_blank,
        has_unterminated_quote
    from split_lines
{% endmacro %}

{#- One Hadoop glob naming exactly these files: their common directory, then {a,b,...}
    of the rest of each path (a glob must not start with a brace), glob characters
    escaped and backticks doubled (the glob is a quoted identifier). -#}
{% macro spark_path_glob(paths) %}
    {%- set split_paths = [] -%}
    {%- for path in paths -%}
        {%- do split_paths.append(path.split('/')) -%}
    {%- endfor -%}
    {%- set shortest = split_paths | map('length') | min -%}
    {%- set ns = namespace(common=0) -%}
    {%- for index in range(shortest - 1) -%}
        {%- if ns.common == index and split_paths | map(attribute=index) | unique | list | length == 1 -%}
            {%- set ns.common = index + 1 -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set rests = [] -%}
    {%- for parts in split_paths -%}
        {%- do rests.append(spark_glob_escape(parts[ns.common:] | join('/'))) -%}
    {%- endfor -%}
    {%- set prefix = spark_glob_escape(split_paths[0][:ns.common] | join('/')) -%}
    {{ return((prefix ~ '/{' ~ rests | join(',') ~ '}') | replace('`', '``')) }}
{% endmacro %}

{% macro spark_glob_escape(text) %}
    {{ return(modules.re.sub('([\\\\{}\\[\\]*?,])', '\\\\\\1', text)) }}
{% endmacro %}

{#- Element (1-based) of a list; null past its end. -#}
{% macro list_element(list, position) -%}
    {{ return(adapter.dispatch('list_element', 'iapt_warehouse')(list, position)) }}
{%- endmacro %}

{% macro duckdb__list_element(list, position) -%}
    {{ list }}[{{ position }}]
{%- endmacro %}

{% macro spark__list_element(list, position) -%}
    get({{ list }}, {{ position - 1 }})
{%- endmacro %}

{% macro list_length(list) -%}
    {{ return(adapter.dispatch('list_length', 'iapt_warehouse')(list)) }}
{%- endmacro %}

{% macro duckdb__list_length(list) -%}
    len({{ list }})
{%- endmacro %}

{% macro spark__list_length(list) -%}
    size({{ list }})
{%- endmacro %}

{#- Count files under the raw root: (all files, Part A IDS files, Part B csv files). -#}
{% macro duckdb__ingest_count_raw_files(raw_dir) %}
    {%- set root = raw_dir | replace("'", "''") -%}
    select
        (select count(*) from glob('{{ root }}/**')) as all_files,
        (select count(*) from glob('{{ root }}/iapt_v2/**/IDS*.csv')) as iapt_v2_files,
        (select count(*) from glob('{{ root }}/kpi_returns/**') where lower(file) like '%.csv') as kpi_files
{% endmacro %}

{#- Spark SQL cannot list files: the counts scripts/scan_raw.py took, from a scan of this
    raw root (a scan of another root, e.g. left from an earlier build, is refused). -#}
{% macro spark__ingest_count_raw_files(raw_dir) %}
    {%- set raw_text = raw_dir | replace("'", "''") %}
    select
        all_files,
        iapt_v2_files,
        kpi_files
    from {{ spark_raw_scan('raw_scan') }}
    where raw_dir = '{{ raw_text }}'
    union all
    select
        raise_error(concat(
            'The raw scan in {{ spark_raw_scan_dir() }} is of ', scanned_dir,
            ', not of {{ raw_text }}: run scripts/scan_raw.py first (make build does)'
        )) as all_files,
        null as iapt_v2_files,
        null as kpi_files
    from (select max(raw_dir) as scanned_dir from {{ spark_raw_scan('raw_scan') }}) as scan
    where scanned_dir <> '{{ raw_text }}'
{% endmacro %}

{#- Where scripts/scan_raw.py writes (IAPT_SPARK_SCAN_DIR, relative to dbt's working
    directory, the project root). -#}
{% macro spark_raw_scan_dir() -%}
    {{ return(env_var('IAPT_SPARK_SCAN_DIR', 'target/spark/raw_scan')) }}
{%- endmacro %}

{#- The rows of a file-system scan (raw_file_inventory, raw_build_context): the Python
    model <name>_scanned on DuckDB; on Spark, whose dbt adapter runs Python models only
    on Databricks, the parquet file scripts/scan_raw.py wrote with that model's code. -#}
{% macro raw_scan(name) -%}
    {{ return(adapter.dispatch('raw_scan', 'iapt_warehouse')(name)) }}
{%- endmacro %}

{% macro default__raw_scan(name) -%}
    {{ ref(name ~ '_scanned') }}
{%- endmacro %}

{% macro spark__raw_scan(name) -%}
    {{ spark_raw_scan(name) }}
{%- endmacro %}

{#- A relation over one of the scan's parquet files. -#}
{% macro spark_raw_scan(name) -%}
    parquet.`{{ spark_raw_scan_dir() }}/{{ name }}.parquet`
{%- endmacro %}

{% macro default__read_raw_csv(layouts, columns) %}
    {{ exceptions.raise_compiler_error("read_raw_csv: reading raw CSV files is implemented for DuckDB and Spark, not for " ~ adapter.type()) }}
{% endmacro %}

{% macro default__ingest_count_raw_files(raw_dir) %}
    {{ exceptions.raise_compiler_error("ingest_count_raw_files: listing raw files is implemented for DuckDB and Spark, not for " ~ adapter.type()) }}
{% endmacro %}
