{{ config(materialized='ephemeral') }}
-- The rows of the IDS101_Referral files that base_iapt_v2__referrals has not loaded yet, all text
-- (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS101_Referral', loaded_into='base_iapt_v2__referrals') }}
