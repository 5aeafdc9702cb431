{{ config(materialized='ephemeral') }}
-- The rows of the IDS201_CareContact files that base_iapt_v2__care_contacts has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS201_CareContact', loaded_into='base_iapt_v2__care_contacts') }}
