{{ config(materialized='ephemeral') }}
-- The rows of the IDS000_Header files that base_iapt_v2__headers has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS000_Header', loaded_into='base_iapt_v2__headers') }}
