{{ config(materialized='ephemeral') }}
-- The rows of the IDS001_MPI files that base_iapt_v2__patients has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS001_MPI', loaded_into='base_iapt_v2__patients') }}
