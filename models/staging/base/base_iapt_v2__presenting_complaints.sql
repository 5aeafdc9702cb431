-- Every IDS603_PresentingComplaints row, typed, with its rejection reason (null = accepted).
{{ base_rows('presenting_complaints') }}
