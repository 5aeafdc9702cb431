{{ config(materialized='ephemeral') }}
-- The rows of the IDS004_EmpStatus files that base_iapt_v2__employment_statuses has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS004_EmpStatus', loaded_into='base_iapt_v2__employment_statuses') }}
