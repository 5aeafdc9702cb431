-- Every IDS101_Referral row, typed, with its rejection reason (null = accepted).
{{ base_rows('referrals') }}
