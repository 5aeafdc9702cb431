-- Every IDS201_CareContact row, typed, with its rejection reason (null = accepted).
{{ base_rows('care_contacts') }}
