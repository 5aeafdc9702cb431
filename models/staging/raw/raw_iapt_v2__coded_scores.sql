{{ config(materialized='ephemeral') }}
-- The text rows of the IDS606_CodedScoreAssessment files
-- not yet loaded into base_iapt_v2__coded_scores (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS606_CodedScoreAssessment', loaded_into='base_iapt_v2__coded_scores') }}
