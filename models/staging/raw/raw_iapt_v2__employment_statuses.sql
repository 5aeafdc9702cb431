{{ config(materialized='ephemeral') }}
-- The text rows of the IDS004_EmpStatus files
-- not yet loaded into base_iapt_v2__employment_statuses (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS004_EmpStatus', loaded_into='base_iapt_v2__employment_statuses') }}
