{{ config(materialized='incremental', incremental_strategy='append',
          pre_hook="{{ raw_delete_stale_files() }}") }}
-- Every row of every IDS606_CodedScoreAssessment.csv, all text (see macros/ingest/raw_table.sql).
{{ raw_table('IDS606_CodedScoreAssessment') }}
