{{ config(materialized='ephemeral') }}
-- The text rows of the IDS000_Header files
-- not yet loaded into base_iapt_v2__headers (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS000_Header', loaded_into='base_iapt_v2__headers') }}
