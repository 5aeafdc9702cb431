{{ config(materialized='ephemeral') }}
-- The rows of the IDS603_PresentingComplaints files that base_iapt_v2__presenting_complaints has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS603_PresentingComplaints', loaded_into='base_iapt_v2__presenting_complaints') }}
