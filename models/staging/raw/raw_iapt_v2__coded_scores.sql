{{ config(materialized='ephemeral') }}
-- The rows of the IDS606_CodedScoreAssessment files that base_iapt_v2__coded_scores has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS606_CodedScoreAssessment', loaded_into='base_iapt_v2__coded_scores') }}
