{{ config(materialized='ephemeral') }}
-- The text rows of the IDS201_CareContact files
-- not yet loaded into base_iapt_v2__care_contacts (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS201_CareContact', loaded_into='base_iapt_v2__care_contacts') }}
