{{ config(base_incremental_config()) }}
-- Every IDS606_CodedScoreAssessment row, typed, with its rejection reason (null = accepted);
-- incremental by submission folder (macros/incremental/incremental_by_folder.sql).
{{ base_rows('coded_scores') }}
