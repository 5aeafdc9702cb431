{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ base_delete_stale_folders() }}") }}
-- Every IDS004_EmpStatus row, typed, with its rejection reason (null = accepted);
-- incremental by submission folder (see macros/ingest/raw_rows.sql).
{{ base_rows('employment_statuses') }}
