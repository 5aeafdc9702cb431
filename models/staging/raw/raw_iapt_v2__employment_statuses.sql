{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ raw_delete_stale_files() }}") }}
-- Every row of every IDS004_EmpStatus.csv, all text (see macros/ingest/raw_table.sql).
{{ raw_table('IDS004_EmpStatus') }}
