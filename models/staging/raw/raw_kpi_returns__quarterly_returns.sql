{{ config(materialized='ephemeral') }}
-- The rows of every KPI return file, all text (see macros/ingest/raw_rows.sql). KPI
-- returns are few and cross-file rules apply to them, so they are always read whole.
{{ raw_rows('kpi_returns') }}
