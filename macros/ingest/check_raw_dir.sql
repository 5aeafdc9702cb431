{#- on-run-start: fail fast, with one clear message, when there is no raw input at all;
    otherwise say which parts are present. DuckDB's glob() lists files, so a raw folder
    that does not exist and one that holds no file at all look the same: both are
    refused (a raw root needs at least one file, e.g. a README, to build empty). -#}
{% macro check_raw_dir() %}
    {%- if execute and flags.WHICH in ['run', 'build'] -%}
        {%- set raw_dir = var('raw_dir') -%}
        {%- set counts = run_query(ingest_count_raw_files(raw_dir)) -%}
        {%- set row = counts.rows[0] -%}
        {%- if row[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No raw input: the raw folder '" ~ raw_dir ~ "' (IAPT_RAW_DIR) does not exist or "
                ~ "holds no file. Expected " ~ raw_dir ~ "/iapt_v2/<submission>/IDS*.csv and/or "
                ~ raw_dir ~ "/kpi_returns/*.csv (see docs/input-contract.md).") }}
        {%- endif -%}
        {%- if row[1] == 0 -%}
            {{ log("Raw input: " ~ raw_dir ~ "/iapt_v2 is absent or empty: record-level (Part A) models will be empty.", info=true) }}
        {%- else -%}
            {{ log("Raw input: " ~ raw_dir ~ "/iapt_v2 holds " ~ row[1] ~ " IDS file(s).", info=true) }}
        {%- endif -%}
        {%- if row[2] == 0 -%}
            {{ log("Raw input: " ~ raw_dir ~ "/kpi_returns is absent or empty: KPI return (Part B) models will be empty.", info=true) }}
        {%- else -%}
            {{ log("Raw input: " ~ raw_dir ~ "/kpi_returns holds " ~ row[2] ~ " CSV file(s).", info=true) }}
        {%- endif -%}
    {%- endif -%}
    select 1 as raw_dir_checked
{% endmacro %}

{% macro ingest_count_raw_files(raw_dir) %}
    {{ return(adapter.dispatch('ingest_count_raw_files')(raw_dir)) }}
{% endmacro %}
