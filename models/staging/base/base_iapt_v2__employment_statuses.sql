-- Every IDS004_EmpStatus row, typed, with its rejection reason (null = accepted).
{{ base_rows('employment_statuses') }}
