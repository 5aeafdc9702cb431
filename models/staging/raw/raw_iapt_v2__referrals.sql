{{ config(materialized='ephemeral') }}
-- The text rows of the IDS101_Referral files
-- not yet loaded into base_iapt_v2__referrals (see macros/ingest/raw_rows.sql).
{{ raw_rows('IDS101_Referral', loaded_into='base_iapt_v2__referrals') }}
