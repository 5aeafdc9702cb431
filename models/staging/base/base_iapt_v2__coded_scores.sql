-- Every IDS606_CodedScoreAssessment row, typed, with its rejection reason (null = accepted).
{{ base_rows('coded_scores') }}
