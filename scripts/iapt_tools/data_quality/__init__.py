"""Data quality: Great Expectations suites over aggregated frames of the warehouse."""
