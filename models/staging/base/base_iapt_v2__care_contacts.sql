{{ config(base_incremental_config()) }}
-- Every IDS201_CareContact row, typed, with its rejection reason (null = accepted);
-- incremental by submission folder (macros/incremental/incremental_by_folder.sql).
{{ base_rows('care_contacts') }}
