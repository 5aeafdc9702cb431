{#- Engine-specific file access for the ingest layer (raw_* models). -#}

{#- Read CSV files as all-text rows: the named columns (null where a file lacks them),
    plus file_path (as listed) and source_row_number (1 = first data row of each file).
    layouts: {header row ('|'-joined names, in file order): [paths]}; columns: the
    contract column names. -#}
{% macro read_raw_csv(layouts, columns) %}
    {{ return(adapter.dispatch('read_raw_csv')(layouts, columns)) }}
{% endmacro %}

{% macro duckdb__read_raw_csv(layouts, columns) %}
    {#- One read_csv per header layout with the columns given (auto_detect off), so no
        file is sniffed. preserve_insertion_order (profile) keeps each file's rows in
        order, so a streaming row_number() minus the file's first one is its row number.
        The first row of each file comes from a grouped, materialized pass (cheaper than
        a window partitioned by file, which would carry every column). -#}
    with layout_rows as materialized (
    {%- for header, paths in layouts.items() %}
        {%- set names = header.split('|') -%}
        {%- set positional = [] -%}
        {%- for name in names -%}
            {#- a repeated name in a header must not break the read: later ones renamed -#}
            {%- do positional.append(name if name not in names[:loop.index0] else name ~ '__repeat' ~ loop.index) -%}
        {%- endfor %}
        select
            {%- for column in columns %}
            {% if column in positional %}"{{ column }}"{% else %}cast(null as varchar){% endif %} as "{{ column }}",
            {%- endfor %}
            filename as file_path,
            row_number() over () as layout_row_number
        from read_csv(
            [{%- for path in paths %}'{{ path | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor %}],
            columns = { {%- for name in positional %}'{{ name | replace("'", "''") }}': 'varchar'{{ ', ' if not loop.last }}{%- endfor %} },
            auto_detect = false, header = true, filename = true,
            delim = ',', quote = '"', escape = '"'
        )
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
    ),

    first_rows as (
        select
            file_path,
            min(layout_row_number) as first_row_number
        from layout_rows
        group by file_path
    )

    select
        {%- for column in columns %}
        layout_rows."{{ column }}",
        {%- endfor %}
        layout_rows.file_path,
        layout_rows.layout_row_number - first_rows.first_row_number + 1 as source_row_number
    from layout_rows
    inner join first_rows
        on layout_rows.file_path = first_rows.file_path
{% endmacro %}

{% macro default__read_raw_csv(layouts, columns) %}
    {{ exceptions.raise_compiler_error(
        "read_raw_csv: reading raw CSV files in place is implemented for DuckDB only. On "
        ~ adapter.type() ~ ", load the raw files into tables named like the raw_* models "
        ~ "(all text columns, plus file_path and source_row_number) and point the raw_* models at them.") }}
{% endmacro %}

{#- Count files under the raw root: (all files, Part A IDS files, Part B csv files). -#}
{% macro duckdb__ingest_count_raw_files(raw_dir) %}
    {%- set root = raw_dir | replace("'", "''") -%}
    select
        (select count(*) from glob('{{ root }}/**')) as all_files,
        (select count(*) from glob('{{ root }}/iapt_v2/**/IDS*.csv')) as iapt_v2_files,
        (select count(*) from glob('{{ root }}/kpi_returns/**/*.csv')) as kpi_files
{% endmacro %}

{% macro default__ingest_count_raw_files(raw_dir) %}
    {#- Other engines cannot list files from SQL: assume the raw tables were loaded. -#}
    select 1 as all_files, 1 as iapt_v2_files, 1 as kpi_files
{% endmacro %}
