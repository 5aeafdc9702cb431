{#- The accepted text form of each typed contract value (docs/input-contract.md, "Value
    forms"): the engines' casts also take 41.0, 1e2, 0x20, +41, 2013-2-5 or an offset
    timestamp, so a value is cast only when its whole text has this form. Values are
    trimmed first. decimal(18,6): at most 12 digits before the point and 6 after, so a
    score is never rounded by the cast. -#}
{% macro ingest_value_pattern(type) %}
    {{ return({
        'integer': '-?[0-9]+',
        'bigint': '-?[0-9]+',
        'decimal': '-?[0-9]{1,12}([.][0-9]{1,6})?',
        'date': '[0-9]{4}-[0-9]{2}-[0-9]{2}',
        'timestamp': '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}',
    }[type]) }}
{% endmacro %}

{#- Typed value of a trimmed raw text column (null when empty, or when its text is not of
    the accepted form or does not cast, e.g. 2013-02-30 or an integer out of range). -#}
{% macro ingest_typed(expression, type) %}
    {%- set sql_types = {
        'date': 'date',
        'timestamp': api.Column.translate_type('timestamp'),
        'bigint': 'bigint',
        'integer': 'integer',
        'decimal': 'decimal(18,6)',
    } -%}
    {%- if type == 'text' -%}{{ expression }}
    {%- elif type in sql_types -%}
        case when {{ regexp_full_match(expression, ingest_value_pattern(type)) }}
            then {{ dbt.safe_cast(expression, sql_types[type]) }} end
    {%- else -%}{{ exceptions.raise_compiler_error('unknown contract type ' ~ type) }}
    {%- endif -%}
{% endmacro %}

{#- A raw column as trimmed text, empty = null. -#}
{% macro ingest_clean(column) -%}
    nullif(trim(raw_rows.{{ adapter.quote(column) }}), '')
{%- endmacro %}

{#- Body of a base_<part>__<entity> model: every raw row of the table, typed, with the
    first rejection reason (null = accepted) and a short detail. Row-level checks in
    precedence order: folder problems (missing or bad header), missing_column,
    unparseable_value, missing_value, missing_key, bad_reporting_period (header rows),
    submission_id_mismatch; then
    duplicate_key and orphan_event among rows still accepted. -#}
{% macro base_rows(entity) %}
    {%- set spec = ingest_contract()[entity] -%}
    {%- set part = 'kpi_returns' if spec.source_table == 'kpi_returns' else 'iapt_v2' -%}
    {%- set is_header = spec.source_table == 'IDS000_Header' -%}
    {%- set typed_columns = spec.columns | rejectattr('type', 'equalto', 'text') | list -%}
    {%- set required_columns = spec.columns | selectattr('role', 'equalto', 'required') | list -%}
    {%- set key_columns = spec.columns | selectattr('role', 'equalto', 'key') | list -%}
    {#- a header's period must be the first to the last day of one calendar month -#}
    {%- set period_start = ingest_typed(ingest_clean('ReportingPeriodStartDate'), 'date') -%}
    {%- set period_end = ingest_typed(ingest_clean('ReportingPeriodEndDate'), 'date') %}
with

raw_rows as (
    select * from {{ ref('raw_' ~ part ~ '__' ~ entity) }}
),

files as (
    select * from {{ ref('base_raw_files') }}
),
{% if is_header %}
file_types as (
    select code from {{ ref('code_file_type') }}
    where validity = 'valid'
),
{% endif %}
{%- if part == 'iapt_v2' and not is_header %}
folders as (
    select * from {{ ref('base_iapt_v2__submission_folders') }}
),
{% endif %}
{%- if is_header %}
header_counts as (
    select
        submission_folder,
        count(*) as header_row_count
    from raw_rows
    where raw_rows.format_reason_code is null
    group by submission_folder
),
{% endif %}
typed as (
    select
        raw_rows.source_file,
        raw_rows.source_row_number,
        raw_rows.submission_folder,
        raw_rows.folder_signature,
        {%- for column in spec.columns %}
        {{ ingest_typed(ingest_clean(column.raw), column.type) }} as {{ column.name }},
        {%- endfor %}
        {%- if part == 'iapt_v2' and not is_header %}
        folders.unique_submission_id as header_unique_submission_id,
        folders.provider_code,
        folders.reporting_period_start,
        folders.reporting_period_end,
        {%- endif %}
        case
            -- a line that is not a record (raw_rows: blank, undecodable, ragged)
            when raw_rows.format_reason_code is not null then raw_rows.format_reason_code
            {%- if is_header %}
            when header_counts.header_row_count > 1 then 'bad_header_row_count'
            {%- elif part == 'iapt_v2' %}
            when folders.folder_reason_code is not null then folders.folder_reason_code
            {%- endif %}
            when files.missing_columns is not null then 'missing_column'
            when
                {%- for column in typed_columns %}
                ({{ ingest_clean(column.raw) }} is not null
                    and {{ ingest_typed(ingest_clean(column.raw), column.type) }} is null)
                {{- ' or' if not loop.last }}
                {%- endfor %}
                {%- if is_header %}
                or ({{ ingest_clean('FileType') }} is not null and file_types.code is null)
                {%- endif %}
                then 'unparseable_value'
            {%- if required_columns | length > 0 %}
            when
                {%- for column in required_columns %}
                {{ ingest_clean(column.raw) }} is null{{ ' or' if not loop.last }}
                {%- endfor %}
                then 'missing_value'
            {%- endif %}
            when
                {%- for column in key_columns %}
                {{ ingest_clean(column.raw) }} is null{{ ' or' if not loop.last }}
                {%- endfor %}
                then 'missing_key'
            {%- if is_header %}
            when {{ period_start }} <> cast({{ dbt.date_trunc('month', period_start) }} as date)
                or {{ period_end }} <> cast({{ dbt.last_day(period_start, 'month') }} as date)
                then 'bad_reporting_period'
            {%- endif %}
            {%- if part == 'iapt_v2' and not is_header %}
            when {{ ingest_typed(ingest_clean('UniqueSubmissionID'), 'bigint') }}
                <> folders.unique_submission_id then 'submission_id_mismatch'
            {%- endif %}
        end as pre_reason_code,
        case
            when raw_rows.format_reason_code is not null then raw_rows.format_reason_detail
            {%- if is_header %}
            when header_counts.header_row_count > 1
                then {{ dbt.concat(["'header rows: '", dbt.safe_cast('header_counts.header_row_count', dbt.type_string())]) }}
            {%- elif part == 'iapt_v2' %}
            when folders.folder_reason_code is not null then folders.folder_reason
            {%- endif %}
            when files.missing_columns is not null then {{ dbt.concat(["'missing columns: '", 'files.missing_columns']) }}
            {%- for column in typed_columns %}
            when {{ ingest_clean(column.raw) }} is not null
                and {{ ingest_typed(ingest_clean(column.raw), column.type) }} is null
                then 'unparseable {{ column.raw }}'
            {%- endfor %}
            {%- if is_header %}
            when {{ ingest_clean('FileType') }} is not null and file_types.code is null
                then 'unparseable FileType'
            {%- endif %}
            {%- for column in required_columns + key_columns %}
            when {{ ingest_clean(column.raw) }} is null then 'empty {{ column.raw }}'
            {%- endfor %}
            {%- if is_header %}
            when {{ period_start }} <> cast({{ dbt.date_trunc('month', period_start) }} as date)
                or {{ period_end }} <> cast({{ dbt.last_day(period_start, 'month') }} as date)
                then {{ dbt.concat(["'reporting period '", ingest_clean('ReportingPeriodStartDate'),
                    "' to '", ingest_clean('ReportingPeriodEndDate'), "' is not one calendar month'"]) }}
            {%- endif %}
            {%- if part == 'iapt_v2' and not is_header %}
            when {{ ingest_typed(ingest_clean('UniqueSubmissionID'), 'bigint') }}
                <> folders.unique_submission_id
                then {{ dbt.concat(["'header UniqueSubmissionID '", dbt.safe_cast('folders.unique_submission_id', dbt.type_string())]) }}
            {%- endif %}
        end as pre_reason_detail
    from raw_rows
    left join files
        on raw_rows.source_file = files.source_file
    {%- if part == 'iapt_v2' and not is_header %}
    left join folders
        on raw_rows.submission_folder = folders.submission_folder
    {%- endif %}
    {%- if is_header %}
    left join header_counts
        on raw_rows.submission_folder = header_counts.submission_folder
    left join file_types
        on {{ ingest_clean('FileType') }} = file_types.code
    {%- endif %}
),
{#- Duplicates and orphans are found with grouped keys and EXISTS (semi joins built on
    the small side), not with a window or a join that carries every column of every
    row: at national scale that was most of the model's time. -#}
{%- if spec.duplicate_key is defined %}

duplicate_keys as (
    select
        submission_folder,
        {{ spec.duplicate_key }}
    from typed
    where pre_reason_code is null
    group by submission_folder, {{ spec.duplicate_key }}
    having count(*) > 1
),
{%- endif %}
{%- if spec.orphan_check is defined %}

accepted_referrals as (
    select
        submission_folder,
        pathway_id
    from {{ ref('base_iapt_v2__referrals') }}
    where rejection_reason_code is null
),
{%- endif %}

checked as (
    select
        typed.*,
        case
            when typed.pre_reason_code is not null then typed.pre_reason_code
            {%- if spec.duplicate_key is defined %}
            when exists (
                select 1 from duplicate_keys
                where duplicate_keys.submission_folder = typed.submission_folder
                    and duplicate_keys.{{ spec.duplicate_key }} = typed.{{ spec.duplicate_key }}
            ) then 'duplicate_key'
            {%- endif %}
            {%- if spec.orphan_check is defined %}
            when not exists (
                select 1 from accepted_referrals
                where accepted_referrals.submission_folder = typed.submission_folder
                    and accepted_referrals.pathway_id = typed.pathway_id
            ) then 'orphan_event'
            {%- endif %}
        end as rejection_reason_code
    from typed
),

final as (
    select
        source_file,
        source_row_number,
        submission_folder,
        folder_signature,
        -- which folder version and code the row came from (macros/incremental/)
        {{ load_signature('folder_signature') }} as load_signature,
        {%- for column in spec.columns %}
        {{ column.name }},
        {%- endfor %}
        {%- if part == 'iapt_v2' and not is_header %}
        header_unique_submission_id,
        provider_code,
        reporting_period_start,
        reporting_period_end,
        {%- endif %}
        rejection_reason_code,
        -- when the dbt run that read the row started: tests check the latest load only
        cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S') }}' as {{ dbt.type_timestamp() }})
            as loaded_at,
        case
            when rejection_reason_code = 'duplicate_key'
                then 'repeated {{ spec.duplicate_key | default('key') }}'
            when rejection_reason_code = 'orphan_event'
                then 'no accepted IDS101 row for the PathwayID'
            else pre_reason_detail
        end as rejection_detail
    from checked
)

select * from final
{% endmacro %}
