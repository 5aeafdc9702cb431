{#- What every stg_iapt_v2__ model starts from, written once. -#}

{#- The base_ rows staging takes: not rejected (rejection_reason_code, docs/ingest.md)
    and not from a submission folder that duplicates another. The model passes its
    ref, so the edge stays in the model. -#}
{% macro accepted_base_rows(base_relation) -%}
    select * from {{ base_relation }}
    where rejection_reason_code is null
        and {{ ingest_folder_is_not_duplicate() }}
{%- endmacro %}

{#- The columns that say where a staging row comes from: its file and line (and load
    time, with loaded_at=true), its submission, provider and reporting month; prefixed
    with relation_alias when one is given. -#}
{% macro submission_columns(relation_alias=none, loaded_at=false) -%}
    {%- set columns = ['source_file', 'source_row_number'] -%}
    {%- if loaded_at -%}
        {%- do columns.append('loaded_at') -%}
    {%- endif -%}
    {%- do columns.extend(['unique_submission_id', 'provider_code', 'reporting_period_start']) -%}
    {%- for column in columns -%}
        {{ relation_alias ~ '.' if relation_alias }}{{ column }}{{ ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
