{#- Engine-specific file access for the ingest layer (raw_* models). -#}

{#- Read CSV files as all-text rows: the named columns (null when no file has them),
    plus file_path (as listed) and source_row_number (1 = first data row of each file).
    files: list of paths; columns: contract column names; present: names found in at
    least one file's header. -#}
{% macro read_raw_csv(files, columns, present) %}
    {{ return(adapter.dispatch('read_raw_csv')(files, columns, present)) }}
{% endmacro %}

{% macro duckdb__read_raw_csv(files, columns, present) %}
    {#- preserve_insertion_order (profile) keeps each file's rows in order, so a global
        row_number() minus the file's first one is the 1-based row number in the file. -#}
    select
        {%- for column in columns %}
        {% if column in present %}"{{ column }}"{% else %}cast(null as varchar){% endif %} as "{{ column }}",
        {%- endfor %}
        file_path,
        global_row_number - min(global_row_number) over (partition by file_path) + 1 as source_row_number
    from (
        select
            *,
            filename as file_path,
            row_number() over () as global_row_number
        from read_csv(
            [{%- for file in files %}'{{ file | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor %}],
            all_varchar = true, union_by_name = true, filename = true, header = true,
            delim = ',', quote = '"', escape = '"'
        )
    ) as rows_read
{% endmacro %}

{% macro default__read_raw_csv(files, columns, present) %}
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
