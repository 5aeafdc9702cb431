{{ config(materialized='ephemeral') }}
-- The text rows of the IDS603_PresentingComplaints files
-- not yet loaded into base_iapt_v2__presenting_complaints (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS603_PresentingComplaints', loaded_into='base_iapt_v2__presenting_complaints') }}
