{#- on-run-end: every dbt build/run ends with what happened to the raw input (files read,
    rows accepted, rows and files rejected by reason, submissions superseded), read from
    the ingest marts; said to be as of their last build when this run did not rebuild
    them, and skipped (one line) when they do not exist yet. IAPT_MAX_REJECTED_SHARE
    (e.g. 0.05; default off) fails the build when a larger share of the rows of any file,
    or of the whole input, was rejected, naming the files. -#}
{% macro build_summary(results) %}
    {%- if not execute or flags.WHICH not in ['run', 'build'] -%}{{ return('') }}{%- endif -%}
    {%- set relations = {} -%}
    {%- for name in ['fct_raw_file_reconciliation', 'fct_raw_row_rejections', 'dim_submissions'] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if relation is not none -%}{%- do relations.update({name: relation}) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if 'fct_raw_file_reconciliation' not in relations or 'fct_raw_row_rejections' not in relations -%}
        {{ log("Build summary: the ingest marts are not built yet: nothing to summarise.", info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- set rebuilt = results | selectattr('node.name', 'equalto', 'fct_raw_file_reconciliation')
        | selectattr('status', 'equalto', 'success') | list -%}
    {%- set as_of = '' if rebuilt else ' (ingest marts not rebuilt by this run: as of their last build)' -%}
    {#- files read: every reconciled file but those missing from their submission -#}
    {%- set totals = run_query(
        "select count(*), coalesce(sum(raw_rows), 0), coalesce(sum(accepted_rows), 0),"
        ~ " coalesce(sum(rejected_rows), 0) from " ~ relations['fct_raw_file_reconciliation']
        ~ " where raw_rows > 0 or source_file not in (select source_file from "
        ~ relations['fct_raw_row_rejections'] ~ " where source_row_number is null"
        ~ " and reason_code in ('missing_file', 'missing_header'))").rows[0] -%}
    {%- set lines = ["Build summary" ~ as_of ~ ": " ~ totals[0] ~ " file(s) read, " ~ totals[1]
        ~ " row(s): " ~ totals[2] ~ " accepted, " ~ totals[3] ~ " rejected."] -%}
    {%- set by_row_reason = run_query(
        "select reason_code, count(*) from " ~ relations['fct_raw_row_rejections']
        ~ " where source_row_number is not null group by reason_code order by 2 desc, 1").rows -%}
    {%- if by_row_reason | length > 0 -%}
        {%- do lines.append("  rows rejected by reason: " ~ (by_row_reason | map('join', ' ') | join(', '))) -%}
    {%- endif -%}
    {%- set by_file_reason = run_query(
        "select reason_code, count(distinct source_file) from " ~ relations['fct_raw_row_rejections']
        ~ " where source_row_number is null group by reason_code order by 2 desc, 1").rows -%}
    {%- if by_file_reason | length > 0 -%}
        {%- do lines.append("  files rejected or missing by reason: " ~ (by_file_reason | map('join', ' ') | join(', '))) -%}
    {%- else -%}
        {%- do lines.append("  files rejected or missing: none") -%}
    {%- endif -%}
    {%- if 'dim_submissions' in relations -%}
        {%- set superseded = run_query(
            "select selection_reason, count(*) from " ~ relations['dim_submissions']
            ~ " where selection_reason like 'superseded%' group by selection_reason order by 2 desc, 1").rows -%}
        {%- set total_superseded = superseded | map(attribute=1) | sum -%}
        {%- do lines.append("  submission folders superseded: " ~ total_superseded
            ~ ((" (" ~ (superseded | map('join', ' ') | join(', ')) ~ ")") if total_superseded else "")) -%}
    {%- endif -%}
    {{ log(lines | join('\n'), info=true) }}
    {%- set too_many = rejected_share_exceeded(relations['fct_raw_file_reconciliation'], totals) -%}
    {#- failed as the hook's SQL, not at compile time: dbt then reports one failed hook
        with the message (a compile error in on-run-end reads as a keyboard interrupt) -#}
    {{ return(raise_sql_error(too_many) if too_many else '') }}
{% endmacro %}

{#- The message when IAPT_MAX_REJECTED_SHARE is set and exceeded, else none. -#}
{% macro rejected_share_exceeded(reconciliation, totals) %}
    {%- set setting = env_var('IAPT_MAX_REJECTED_SHARE', '') | trim -%}
    {%- if setting == '' -%}{{ return(none) }}{%- endif -%}
    {%- if not modules.re.match('^(0(\\.[0-9]+)?|1(\\.0+)?)$', setting) -%}
        {{ return("IAPT_MAX_REJECTED_SHARE must be a share between 0 and 1 (e.g. 0.05), got '" ~ setting ~ "'") }}
    {%- endif -%}
    {%- set files = run_query(
        "select source_file, rejected_rows, raw_rows from " ~ reconciliation
        ~ " where raw_rows > 0 and rejected_rows > " ~ setting ~ " * raw_rows order by source_file").rows -%}
    {%- set whole = totals[1] > 0 and totals[3] > (setting | float) * totals[1] -%}
    {%- if files | length > 0 or whole -%}
        {%- set named = [] -%}
        {%- for row in files[:20] -%}
            {%- do named.append(row[0] ~ " (" ~ row[1] ~ " of " ~ row[2] ~ " rows)") -%}
        {%- endfor -%}
        {{ return("More than IAPT_MAX_REJECTED_SHARE=" ~ setting ~ " of the rows rejected"
            ~ (": whole input " ~ totals[3] ~ " of " ~ totals[1] ~ " rows" if whole else "")
            ~ ((("; " if whole else ": ") ~ files | length ~ " file(s): " ~ (named | join(', '))
                ~ (" ..." if files | length > 20 else "")) if files | length > 0 else "")) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{#- A statement that fails when executed, with the message. -#}
{% macro raise_sql_error(message) %}
    {{ return(adapter.dispatch('raise_sql_error')(message)) }}
{% endmacro %}

{% macro duckdb__raise_sql_error(message) %}
    {{ return("select error('" ~ (message | replace("'", "''")) ~ "')") }}
{% endmacro %}

{% macro default__raise_sql_error(message) %}
    {{ return("select raise_error('" ~ (message | replace("'", "''")) ~ "')") }}
{% endmacro %}
