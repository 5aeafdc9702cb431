"""Publication of `marts.measures`: disclosure control, national layout, workbook,
executive summary with charts, manifest and versioned, immutable releases."""
