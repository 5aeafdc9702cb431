{#- Engine-specific file access for the ingest layer (raw_* models). -#}

{#- Read CSV files as all-text rows, one per physical line after the header: the named
    columns (null where a file lacks them), file_path (as listed), source_row_number
    (1 = the line after the header, so the physical line is source_row_number + 1) and
    the facts the row-level format checks need: field_count, is_blank,
    has_unterminated_quote. A line is one record (a quoted field may hold commas and
    doubled quotes, not line breaks), so no fault on one line can swallow the next.
    layouts: list of {header ('|'-joined names, in file order), encoding, paths};
    columns: the contract column names. Another engine must give the same rows (e.g.
    Spark: spark.read.text + the same split). -#}
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

    select
        {%- for column in columns %}
        case
            {%- for layout in layouts %}
            {%- set names = layout.header.split('|') %}
            {%- if column in names %}
            when layout_id = {{ loop.index }} then fields[{{ names.index(column) + 1 }}]
            {%- endif %}
            {%- endfor %}
        end as "{{ column }}",
        {%- endfor %}
        file_path,
        source_row_number,
        len(fields) as field_count,
        is_blank,
        has_unterminated_quote
    from split_lines
{% endmacro %}

{% macro default__read_raw_csv(layouts, columns) %}
    {{ exceptions.raise_compiler_error(
        "read_raw_csv: reading raw CSV files in place is implemented for DuckDB only. On "
        ~ adapter.type() ~ ", load the raw files into tables named like the raw_* models "
        ~ "(all text columns, plus file_path, source_row_number = physical line - 1, field_count, is_blank, has_unterminated_quote) and point the raw_* models at them.") }}
{% endmacro %}

{#- Count files under the raw root: (all files, Part A IDS files, Part B csv files). -#}
{% macro duckdb__ingest_count_raw_files(raw_dir) %}
    {%- set root = raw_dir | replace("'", "''") -%}
    select
        (select count(*) from glob('{{ root }}/**')) as all_files,
        (select count(*) from glob('{{ root }}/iapt_v2/**/IDS*.csv')) as iapt_v2_files,
        (select count(*) from glob('{{ root }}/kpi_returns/**') where lower(file) like '%.csv') as kpi_files
{% endmacro %}

{% macro default__ingest_count_raw_files(raw_dir) %}
    {#- Other engines cannot list files from SQL: assume the raw tables were loaded. -#}
    select 1 as all_files, 1 as iapt_v2_files, 1 as kpi_files
{% endmacro %}
