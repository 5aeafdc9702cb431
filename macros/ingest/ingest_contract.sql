{#- The raw-file contract lives once, as data: `vars: raw_contract` in dbt_project.yml
    (Python reads the same block: scripts/iapt_tools/raw_contract.py). These macros give
    it to the ingest SQL in the shape it uses. -#}

{#- Per entity: source_table, duplicate_key, orphan_check and columns, each column a dict
    raw, name, type, role plus its value rules (pattern, min, max) when it has any. -#}
{% macro ingest_contract() %}
    {%- set contract = {} -%}
    {%- for entity, table in var('raw_contract')['tables'].items() -%}
        {%- set columns = [] -%}
        {%- for column in table['columns'] -%}
            {%- set column_spec = {'raw': column[0], 'name': column[1], 'type': column[2], 'role': column[3]} -%}
            {%- if column | length > 4 -%}
                {%- do column_spec.update(column[4]) -%}
            {%- endif -%}
            {%- do columns.append(column_spec) -%}
        {%- endfor -%}
        {#- duplicate_key and orphan_check are present only where the table has them. -#}
        {%- set spec = {'source_table': table['source_table'], 'columns': columns} -%}
        {%- for option in ['duplicate_key', 'orphan_check'] if option in table -%}
            {%- do spec.update({option: table[option]}) -%}
        {%- endfor -%}
        {%- do contract.update({entity: spec}) -%}
    {%- endfor -%}
    {{ return(contract) }}
{% endmacro %}

{#- The contract entry whose source_table is given (e.g. 'IDS101_Referral'). -#}
{% macro ingest_table_by_source(source_table) %}
    {%- for entity, spec in ingest_contract().items() -%}
        {%- if spec.source_table == source_table -%}
            {{ return(spec) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Unknown source_table " ~ source_table) }}
{% endmacro %}

{#- The seven Part A tables (every table but the KPI returns), in contract order. -#}
{% macro iapt_v2_source_tables() %}
    {%- set tables = [] -%}
    {%- for entity, spec in ingest_contract().items() if entity != 'quarterly_returns' -%}
        {%- do tables.append(spec.source_table) -%}
    {%- endfor -%}
    {{ return(tables) }}
{% endmacro %}

{#- Rejection reasons in precedence order, as (reason, description) pairs. -#}
{% macro rejection_reasons() %}
    {%- set reasons = [] -%}
    {%- for entry in var('raw_contract')['rejection_reasons'] -%}
        {%- do reasons.append((entry['reason'], entry['description'])) -%}
    {%- endfor -%}
    {{ return(reasons) }}
{% endmacro %}

{#- Reasons for a line that is not a record (raw_rows): such a line is no header row. -#}
{% macro row_format_reasons() %}
    {%- set reasons = [] -%}
    {%- for entry in var('raw_contract')['rejection_reasons'] if entry.get('row_format') -%}
        {%- do reasons.append(entry['reason']) -%}
    {%- endfor -%}
    {{ return(reasons) }}
{% endmacro %}

{#- The count columns of a quarterly KPI return (its bigint columns, in contract order):
    written once here (kpi_return_columns, int_kpi_returns_selected). -#}
{% macro kpi_count_columns() %}
    {{ return(ingest_contract()['quarterly_returns'].columns
        | selectattr('type', 'equalto', 'bigint') | map(attribute='name') | list) }}
{% endmacro %}

{#- One column's contract entry (raw, name, type, role and its value rules, e.g. min and
    max), looked up by entity and snake_case name. -#}
{% macro contract_column(entity, name) %}
    {%- for column in ingest_contract()[entity].columns if column.name == name -%}
        {{ return(column) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No column " ~ name ~ " in raw_contract " ~ entity) }}
{% endmacro %}
