{#- The columns of stg_kpi_returns__quarterly_returns, in order: where the row comes from,
    the quarter, PCT and return, then the count columns of the raw contract. Written once
    here for that model and int_kpi_returns_ranked, which carries them on. -#}
{% macro kpi_return_columns() %}
    {%- set columns = [
        'source_file', 'source_row_number', 'quarter_label', 'quarter_start', 'quarter_end',
        'pct_code', 'return_type', 'submitted_at', 'is_nil_return', 'nil_return_reason'
    ] -%}
    {{ return(columns + kpi_count_columns()) }}
{% endmacro %}
