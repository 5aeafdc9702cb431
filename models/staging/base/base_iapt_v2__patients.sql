-- Every IDS001_MPI row, typed, with its rejection reason (null = accepted).
{{ base_rows('patients') }}
