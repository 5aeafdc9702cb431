-- Every rejected raw row (one reason each, the first in precedence order), plus one row
-- (source_row_number null) per file missing from a submission folder.
{%- set contract = ingest_contract() %}
with

files as (
    select * from {{ ref('base_raw_files') }}
),

folders as (
    select * from {{ ref('base_iapt_v2__submission_folders') }}
),

{%- for entity, spec in contract.items() %}
{%- set part = 'kpi_returns' if entity == 'quarterly_returns' else 'iapt_v2' %}

rejected_{{ entity }} as (
    select
        '{{ spec.source_table }}' as source_table,
        source_file,
        source_row_number,
        {%- if part == 'iapt_v2' %}
        submission_folder,
        unique_submission_id,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as submission_folder,
        cast(null as bigint) as unique_submission_id,
        {%- endif %}
        rejection_reason_code as reason_code,
        rejection_detail
    from {{ ref('base_' ~ part ~ '__' ~ entity) }}
    where rejection_reason_code is not null
),
{%- endfor %}

missing_files as (
    select
        files.source_table,
        files.source_file,
        cast(null as bigint) as source_row_number,
        files.submission_folder,
        folders.unique_submission_id,
        case when files.source_table = 'IDS000_Header' then 'missing_header' else 'missing_file' end
            as reason_code,
        {{ dbt.concat(["'file not found: '", 'files.source_file']) }} as rejection_detail
    from files
    left join folders
        on files.submission_folder = folders.submission_folder
    where not files.is_present
),

unioned as (
    {%- for entity in contract %}
    select * from rejected_{{ entity }}
    union all
    {%- endfor %}
    select * from missing_files
),

described as (
    select
        unioned.*,
        case unioned.reason_code
            {%- for code, description in rejection_reasons() %}
            when '{{ code }}' then '{{ description | replace("'", "''") }}'
            {%- endfor %}
        end as reason_description
    from unioned
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        submission_folder,
        unique_submission_id,
        reason_code,
        {{ dbt.concat(['reason_description', "' ('", "coalesce(rejection_detail, '')", "')'"]) }} as reason
    from described
)

select * from final
