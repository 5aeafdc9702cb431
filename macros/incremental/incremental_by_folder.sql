{#- Incremental by submission folder (docs/incremental.md): the base_ models, the only
    incremental models, keep the typed rows of every loaded submission folder and read
    only the folders they do not hold in their current form.

    A folder is held in its current form when a stored row has
        load_signature = md5(folder_signature || model signature)
    where folder_signature is the inventory's (size and modification time of every file
    of the folder) and the model signature digests the code the rows came from (below).
    A changed folder, or a change of the code, makes the folder look new: it is read
    again, and drop_stale_folders (the pre-hook) drops its old rows first, as it drops
    the rows of a folder that is gone. Nothing goes stale silently.

    Every engine difference sits in the two dispatched macros base_incremental_config
    and drop_stale_folders. -#}

{#- The config of a base_ model: {{ config(base_incremental_config()) }}. -#}
{% macro base_incremental_config() %}
    {{ return(adapter.dispatch('base_incremental_config')()) }}
{% endmacro %}

{#- Append, after the pre-hook has deleted the stale folders' rows (delete+insert). -#}
{% macro default__base_incremental_config() %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': ['{{ drop_stale_folders() }}'],
    }) }}
{% endmacro %}

{#- Parquet tables cannot DELETE: one partition per folder, stale partitions dropped by
    the pre-hook, and the folders read in this run written with insert overwrite
    (dbt-spark sets spark.sql.sources.partitionOverwriteMode=DYNAMIC for it, so only
    the partitions in the new rows are replaced; an empty read replaces nothing). -#}
{% macro spark__base_incremental_config() %}
    {%- set config = default__base_incremental_config() -%}
    {%- do config.update({
        'incremental_strategy': 'insert_overwrite',
        'file_format': 'parquet',
        'partition_by': ['submission_folder'],
    }) -%}
    {{ return(config) }}
{% endmacro %}

{#- Pre-hook of the base_ models: remove the rows of the folders that changed, are gone,
    or were loaded by other code (their load_signature is not current). -#}
{% macro drop_stale_folders() %}
    {%- if is_incremental() -%}
        {{ return(adapter.dispatch('drop_stale_folders')()) }}
    {%- else -%}
        {{ return('select 1 as nothing_to_drop') }}
    {%- endif -%}
{% endmacro %}

{% macro default__drop_stale_folders() %}
    {%- set sql -%}
        delete from {{ this }} as loaded
        where not exists (
            select 1 from ({{ current_load_signatures() }}) as current_folders
            where current_folders.submission_folder = loaded.submission_folder
                and current_folders.load_signature = loaded.load_signature
        )
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}

{#- One statement dropping every stale partition (found now, when the hook runs). -#}
{% macro spark__drop_stale_folders() %}
    {%- set query -%}
        select distinct loaded.submission_folder
        from {{ this }} as loaded
        where not exists (
            select 1 from ({{ current_load_signatures() }}) as current_folders
            where current_folders.submission_folder = loaded.submission_folder
                and current_folders.load_signature = loaded.load_signature
        )
        order by 1
    {%- endset -%}
    {%- set stale = run_query(query).columns[0].values() | list -%}
    {%- if stale | length == 0 -%}
        {{ return('select 1 as nothing_to_drop') }}
    {%- endif -%}
    {{ log(this.identifier ~ ": dropping " ~ stale | length ~ " stale folder partition(s)", info=true) }}
    {%- set partitions = [] -%}
    {%- for folder in stale -%}
        {%- do partitions.append("partition (submission_folder = '"
            ~ folder | replace('\\', '\\\\') | replace("'", "\\'") ~ "')") -%}
    {%- endfor -%}
    {{ return('alter table ' ~ this ~ ' drop if exists ' ~ partitions | join(', ')) }}
{% endmacro %}

{#- Every submission folder the inventory lists now, with the load_signature its rows
    get when the model named model_name (default: the current one) loads them. It reads
    base_raw_files, which every base_ model refs in its SQL, so the pre-hook needs no
    dependency of its own. -#}
{% macro current_load_signatures(model_name=none) %}
    select
        folders.submission_folder,
        {{ load_signature('folders.folder_signature', model_name) }} as load_signature
    from (
        select distinct submission_folder, folder_signature
        from {{ ref('base_raw_files') }}
    ) as folders
{% endmacro %}

{#- SQL expression: the load_signature of rows of a folder with signature
    folder_signature_sql, loaded by model_name (default: the current model). -#}
{% macro load_signature(folder_signature_sql, model_name=none) -%}
    {{ dbt.hash(dbt.concat([folder_signature_sql, "'" ~ model_code_signature(model_name) ~ "'"])) }}
{%- endmacro %}

{#- A digest (md5, hex) of the code a model's rows come from: the SQL (or Python) of the
    model and of every model upstream of it, every macro of this project they call
    (transitively, as dbt records the calls: dispatched macros resolve to this engine's
    implementation), and the checksum of every seed upstream. A change to any of them
    changes the digest. model_name: a model of this project (default: the current one,
    e.g. the base_ model itself in its SQL and its hooks). Outside a model run (parsing,
    unit tests) it is a constant. -#}
{% macro model_code_signature(model_name=none) %}
    {%- if not execute -%}
        {{ return('not-executed') }}
    {%- endif -%}
    {%- if model_name is none -%}
        {%- if model.resource_type != 'model' -%}
            {{ return('not-a-model') }}
        {%- endif -%}
        {%- set start = model.unique_id -%}
    {%- else -%}
        {%- set start = 'model.' ~ project_name ~ '.' ~ model_name -%}
    {%- endif -%}
    {%- set nodes = [start] -%}
    {%- set macros = [] -%}
    {%- set lines = [] -%}
    {#- Breadth-first walks (a for loop over a list that grows). -#}
    {%- for index in range(1000) if index < nodes | length -%}
        {%- set node = graph.nodes.get(nodes[index]) -%}
        {%- if node is none -%}
            {%- do lines.append(nodes[index] ~ ' absent') -%}
        {%- elif node.resource_type == 'seed' -%}
            {%- do lines.append(node.unique_id ~ ' ' ~ node.checksum.checksum) -%}
        {%- else -%}
            {%- do lines.append(node.unique_id ~ '\x1e' ~ node.raw_code) -%}
            {%- for parent in node.depends_on.nodes if parent not in nodes -%}
                {%- do nodes.append(parent) -%}
            {%- endfor -%}
            {%- for macro_id in node.depends_on.macros if macro_id not in macros -%}
                {%- do macros.append(macro_id) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for index in range(1000) if index < macros | length -%}
        {%- set parts = macros[index].split('.') -%}
        {#- dbt's and the adapter's own macros are not this project's code -#}
        {%- if parts[1] == project_name -%}
            {%- set found = context.get(parts[2]) -%}
            {%- if found is none or found.macro is not defined -%}
                {%- do lines.append(macros[index] ~ ' absent') -%}
            {%- else -%}
                {%- do lines.append(macros[index] ~ '\x1e' ~ found.macro.macro_sql) -%}
                {%- for macro_id in found.macro.depends_on.macros if macro_id not in macros -%}
                    {%- do macros.append(macro_id) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if nodes | length >= 1000 or macros | length >= 1000 -%}
        {{ exceptions.raise_compiler_error('model_code_signature: more than 1000 nodes or macros upstream') }}
    {%- endif -%}
    {{ return(local_md5(lines | sort | join('\x1d'))) }}
{% endmacro %}
