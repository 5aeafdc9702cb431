-- One row about the build's inputs that only a file read can tell (synthetic marker,
-- project version): raw_build_context_scanned.py on DuckDB, the same code run by
-- scripts/scan_raw.py on Spark (macro raw_scan).
with

scanned as (
    select * from {{ raw_scan('raw_build_context') }}
)

select * from scanned
