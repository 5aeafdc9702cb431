-- Every IDS000_Header row, typed, with its rejection reason (null = accepted).
{{ base_rows('headers') }}
