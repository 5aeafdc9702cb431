{#- Incremental by referral (docs/incremental.md).

    The selection, episode and episode-period models are incremental by PathwayID: a
    run deletes and re-derives only the referrals in int_pathways_changed, the ones whose
    inputs may differ from what the model last applied. Each such model (tag
    'pathway_scoped') uses the four macros below:

    config(materialized='incremental', incremental_strategy='append',
           on_schema_change='fail', tags=['pathway_scoped'],
           pre_hook="{{ pathway_scope_delete() }}", post_hook="{{ pathway_scope_record() }}")
    ... where {{ in_pathway_scope('pathway_id') }} on every input read by PathwayID.

    After a model is built, its post-hook records which used submissions (and folder
    signatures) it now reflects, copying the snapshot int_pathways_changed was computed
    against, in the table pathway_scope_applied (one row per model and submission). The
    next int_pathways_changed compares the current selection with every model's record,
    so a model skipped by a partial run catches up later. -#}

{#- The log sits next to int_pathways_changed; that model passes itself (`this`), as a
    ref to itself would be a cycle. -#}
{% macro pathway_scope_log(anchor=none) -%}
    {%- set scope = anchor if anchor is not none else ref('int_pathways_changed') -%}
    {{ return(api.Relation.create(
        database=scope.database, schema=scope.schema, identifier='pathway_scope_applied')) }}
{%- endmacro %}


{#- Names of the models incremental by PathwayID (each must record what it applied). -#}
{% macro pathway_scoped_models() -%}
    {%- set names = [] -%}
    {%- if not execute -%}{{ return(names) }}{%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and 'pathway_scoped' in node.tags -%}
        {%- do names.append(node.name) -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}


{#- A filter for an input read by PathwayID: only the changed referrals when the model
    is built incrementally, everything otherwise. The ref is taken unconditionally so
    dbt orders the model after int_pathways_changed. -#}
{% macro in_pathway_scope(column) -%}
    {%- set scope = ref('int_pathways_changed') -%}
    {%- if is_incremental() -%}
        {{ pathway_id_changed(column) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#- The one test of membership in the scope, used by the filter, the delete and the
    tests. -#}
{% macro pathway_id_changed(column) -%}
    {{ column }} in (select changed.pathway_id from {{ ref('int_pathways_changed') }} as changed)
{%- endmacro %}


{#- Pre-hook: drop the rows of the changed referrals (and any rows matching
    extra_condition) before the model appends their new rows. -#}
{% macro pathway_scope_delete(extra_condition=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as target
        where {{ pathway_id_changed('target.pathway_id') }}
        {%- if extra_condition %} or {{ extra_condition }}{% endif %}
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}


{#- Post-hook: record that this model now reflects the snapshot of the selection that
    int_pathways_changed was computed against (recorded under its own name). -#}
{% macro pathway_scope_record(model_name=none) -%}
    {%- set name = model_name or this.identifier -%}
    {%- set log = pathway_scope_log(this if name == 'int_pathways_changed' else none) -%}
    create table if not exists {{ log }} (
        model_name {{ dbt.type_string() }},
        unique_submission_id {{ dbt.type_string() }},
        folder_signature {{ dbt.type_string() }},
        reporting_period_end date
    );
    delete from {{ log }} where model_name = '{{ name }}';
    insert into {{ log }}
    {%- if name == 'int_pathways_changed' %}
    select '{{ name }}', unique_submission_id, folder_signature, reporting_period_end
    from ({{ pathway_scope_current_selection() }}) as selection
    {%- else %}
    select '{{ name }}', unique_submission_id, folder_signature, reporting_period_end
    from {{ log }}
    where model_name = 'int_pathways_changed'
    {%- endif %}
{%- endmacro %}


{#- The selection a build reflects: every used submission with its folder's signature
    (a re-read folder counts as changed) and reporting period end. -#}
{% macro pathway_scope_current_selection() -%}
    select
        submissions.unique_submission_id,
        coalesce(folders.folder_signature, '') as folder_signature,
        submissions.reporting_period_end
    from {{ ref('int_submissions_selected') }} as submissions
    left join (
        select distinct submission_folder, folder_signature
        from {{ ref('raw_file_inventory') }}
    ) as folders
        on submissions.submission_folder = folders.submission_folder
    where submissions.is_used
{%- endmacro %}


{#- Rows of int_episode_periods_assigned whose period no longer exists (e.g. the as-at
    month moved back). -#}
{% macro episode_periods_stale_condition(alias) -%}
    not exists (
        select 1 from {{ ref('int_measure_periods') }} as periods
        where periods.period_type = {{ alias }}.period_type
            and periods.reporting_period_start = {{ alias }}.reporting_period_start
    )
{%- endmacro %}


{#- What int_pathways_changed (passed as anchor) needs at compile time: the scoped
    models, the log of what they applied, their previous tables, and whether every
    referral is in scope (no log, a model without a record, or a missing table). -#}
{% macro pathway_scope_plan(anchor) -%}
    {%- set scoped_models = pathway_scoped_models() %}
    {%- set log = none %}
    {%- set previous = {} %}
    {%- set full_scope = true %}
    {%- if execute and not flags.FULL_REFRESH %}
        {%- set log_relation = pathway_scope_log(anchor) %}
        {%- set log = adapter.get_relation(
            database=log_relation.database, schema=log_relation.schema,
            identifier=log_relation.identifier) %}
        {%- if log is not none %}
            {%- set recorded = run_query(
                'select distinct model_name from ' ~ log).columns[0].values() | list %}
            {%- set full_scope = scoped_models | reject('in', recorded) | list | length > 0 %}
        {%- endif %}
        {%- for name in ['int_referrals_selected', 'int_care_contacts_selected',
                         'int_coded_scores_selected', 'int_employment_statuses_selected'] %}
            {%- do previous.update({name: adapter.get_relation(
                database=anchor.database, schema=anchor.schema, identifier=name)}) %}
        {%- endfor %}
        {%- if previous.int_referrals_selected is none or previous.int_care_contacts_selected is none
            or previous.int_coded_scores_selected is none %}
            {%- set full_scope = true %}
        {%- endif %}
    {%- endif %}

    {{ return({'scoped_models': scoped_models, 'log': log, 'previous': previous,
               'full_scope': full_scope}) }}
{%- endmacro %}


{#- The rows the latest build wrote, for tests that check only those in an incremental
    run: 'loaded' = raw rows read by the latest run that read any (base_ and stg_
    models); 'pathway' = rows of the referrals re-derived by the latest build (models
    tagged pathway_scoped). A full build writes, and so checks, every row. Also right
    for a `dbt test` run after `dbt run`. -#}
{% macro changed_in_this_run(kind, model) -%}
    {%- if kind == 'loaded' -%}
        loaded_at = (select max(latest.loaded_at) from {{ model }} as latest)
    {%- elif kind == 'pathway' -%}
        {{ pathway_id_changed('pathway_id') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("changed_in_this_run: kind must be 'loaded' or 'pathway', got " ~ kind) }}
    {%- endif -%}
{%- endmacro %}


{#- Whether the latest build wrote only a small share of the rows (then tests check only
    those): a full build writes everything, and then a plain whole-table test is
    cheaper than checking every key against the table. -#}
{% macro changed_rows_are_few(kind, model) -%}
    {#- refs taken before the execute check, so dbt records them when it parses -#}
    {%- set scope = ref('int_pathways_changed') if kind == 'pathway' else none -%}
    {%- set referrals = ref('int_referrals_selected') if kind == 'pathway' else none -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- if kind == 'pathway' -%}
        {%- set query -%}
            select
                (select count(*) from {{ scope }}) * 2 < (select count(*) from {{ referrals }})
        {%- endset -%}
    {%- else -%}
        {%- set query -%}
            with counted as (select loaded_at from {{ model }})
            select count(*) filter (where loaded_at = (select max(loaded_at) from counted)) * 2
                < count(*)
            from counted
        {%- endset -%}
    {%- endif -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{%- endmacro %}
