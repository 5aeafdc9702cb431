-- Every raw file the build can see (one row per file, plus one per Part A file a
-- submission folder lacks): the rows of the file-system scan, which is Python
-- (raw_file_inventory_scanned.py) on DuckDB and the same code run by scripts/scan_raw.py
-- before the build on Spark (macro raw_scan).
with

scanned as (
    select * from {{ raw_scan('raw_file_inventory') }}
)

select * from scanned
