{#- Per-submission data-quality counts (int_data_items_validated, int_row_flags_counted)
    are incremental by submission: a build counts only the accepted submissions that the
    table does not hold yet. Every counted submission keeps one row per check (zero
    counts included), stamped with
      - folder_signature: the version of the submission folder its rows were read from
        (stg_iapt_v2__headers), and
      - code_lists_signature: a digest of the contents of every seed upstream of the
        model (the code lists that give the staging validity columns and score ranges).
    The pre-hook dq_delete_stale_submissions drops the counts of submissions that are
    gone, whose folder was read again, or that were counted with other code lists, so
    they are counted again. Whether a submission is used (as-at month, refreshes) is not
    stored: the marts apply dim_submissions to these counts on every build. -#}

{#- A digest of the contents of every seed upstream of the current model, as a quoted
    SQL literal. Computed when the model runs (the seeds are built before it); seeds
    are found by walking the graph, so a code list added to a staging model is covered
    without a change here. -#}
{% macro dq_code_lists_signature() %}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return("'none'") }}
    {%- endif -%}
    {%- set queue = model.depends_on.nodes | list -%}
    {%- set seeds = [] -%}
    {#- Breadth-first walk of the parents (a for loop over a list that grows). -#}
    {%- for index in range(10000) if index < queue | length -%}
        {%- set node = graph.nodes.get(queue[index]) -%}
        {%- if node is not none and node.resource_type == 'seed' -%}
            {%- do seeds.append(node) -%}
        {%- elif node is not none -%}
            {%- for parent in node.depends_on.nodes if parent not in queue -%}
                {%- do queue.append(parent) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set lines = [] -%}
    {%- for seed in seeds | sort(attribute='unique_id') -%}
        {%- set relation = adapter.get_relation(
            database=seed.database, schema=seed.schema, identifier=seed.alias) -%}
        {%- if relation is none -%}
            {%- do lines.append(seed.unique_id ~ ' absent') -%}
        {%- else -%}
            {%- set rows = [] -%}
            {%- for row in run_query('select * from ' ~ relation).rows -%}
                {%- do rows.append(row.values() | join('\x1f')) -%}
            {%- endfor -%}
            {%- do lines.append(seed.unique_id ~ '\x1e' ~ (rows | sort | join('\x1e'))) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("'" ~ local_md5(lines | join('\x1d')) ~ "'") }}
{% endmacro %}

{#- Pre-hook: delete the counts of submissions that are no longer accepted, whose folder
    signature changed, or that were counted with other code lists. -#}
{% macro dq_delete_stale_submissions() %}
    {%- if is_incremental() -%}
        delete from {{ this }} as counted
        where counted.code_lists_signature <> {{ dq_code_lists_signature() }}
            or not exists (
                select 1 from {{ ref('stg_iapt_v2__headers') }} as headers
                where headers.unique_submission_id = counted.unique_submission_id
                    and headers.folder_signature = counted.folder_signature
            )
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{% endmacro %}

{#- Import CTE body: the accepted submissions still to count (all on a full build).
    Logs how many: those whose (id, folder signature, code lists) the table does not
    hold, i.e. what is left once the pre-hook has run (nothing is logged before the
    first build, e.g. when sqlfluff compiles the project on a fresh clone). -#}
{% macro dq_submissions_to_count() %}
    {%- set code_lists_signature = dq_code_lists_signature() -%}
    {%- if execute and model.resource_type == 'model'
        and load_relation(ref('stg_iapt_v2__headers')) is not none -%}
        {%- set query -%}
            select count(*) from {{ ref('stg_iapt_v2__headers') }} as headers
            {%- if is_incremental() %}
            where not exists (
                select 1 from {{ this }} as counted
                where counted.unique_submission_id = headers.unique_submission_id
                    and counted.folder_signature = headers.folder_signature
                    and counted.code_lists_signature = {{ code_lists_signature }}
            )
            {%- endif %}
        {%- endset -%}
        {{ log(this.identifier ~ ": counting " ~ run_query(query).columns[0].values()[0]
               ~ " submission(s)" ~ ("" if is_incremental() else " (full build)"), info=true) }}
    {%- endif %}
    select
        headers.unique_submission_id,
        headers.provider_code,
        headers.reporting_period_start,
        headers.folder_signature,
        {{ code_lists_signature }} as code_lists_signature
    from {{ ref('stg_iapt_v2__headers') }} as headers
    {%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as counted
        where counted.unique_submission_id = headers.unique_submission_id
    )
    {%- endif %}
{% endmacro %}

{#- Import CTE body: the accepted rows of a staging model for the submissions to count
    (to_count: the CTE holding dq_submissions_to_count); no filter on a full build. -#}
{% macro dq_rows_to_count(model_name, to_count='submissions') %}
    select * from {{ ref(model_name) }}
    {%- if is_incremental() %}
    where unique_submission_id in (select unique_submission_id from {{ to_count }})
    {%- endif %}
{% endmacro %}
