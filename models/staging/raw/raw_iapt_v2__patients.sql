{{ config(materialized='ephemeral') }}
-- The text rows of the IDS001_MPI files
-- not yet loaded into base_iapt_v2__patients (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS001_MPI', loaded_into='base_iapt_v2__patients') }}
