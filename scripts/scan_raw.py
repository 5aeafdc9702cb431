"""Scan the raw root for the Spark engine: `make build` runs it before `dbt build` when
IAPT_ENGINE=spark (docs/spark.md).

dbt-spark runs Python models only on Databricks, so the two Python models that read the
file system (models/staging/raw/raw_file_inventory_scanned.py and
raw_build_context_scanned.py, DuckDB only) cannot run on a Spark session. This script
runs the same code, imported from those model files (one implementation for both
engines), and writes their rows as parquet files that raw_file_inventory and
raw_build_context select from on Spark (macro raw_scan), plus one row with the raw root
it scanned and its file counts (the on-run-start check reads it and refuses a scan of
another raw root).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType

import duckdb

from iapt_tools.raw_contract import load_contract
from iapt_tools.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models" / "staging" / "raw"


def scan_dir() -> Path:
    """Where the scan is written: IAPT_SPARK_SCAN_DIR (relative to the project root, as
    the Spark models read it from dbt's working directory), default target/spark/raw_scan."""
    path = Path(os.environ.get("IAPT_SPARK_SCAN_DIR") or "target/spark/raw_scan")
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_model(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, MODELS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def file_counts(raw_dir: Path) -> tuple[int, int, int]:
    """(all files, Part A IDS*.csv files, Part B .csv files): what DuckDB's glob counts."""
    every = iapt = kpi = 0
    for directory, _, files in os.walk(raw_dir):
        every += len(files)
        relative = Path(directory).relative_to(raw_dir).parts
        if relative[:1] == ("iapt_v2",):
            iapt += sum(name.startswith("IDS") and name.endswith(".csv") for name in files)
        elif relative[:1] == ("kpi_returns",):
            kpi += sum(name.lower().endswith(".csv") for name in files)
    return every, iapt, kpi


def write_parquet(con: duckdb.DuckDBPyConnection, query: str, params: list, path: Path) -> None:
    temporary = path.with_suffix(".parquet.tmp")
    con.execute(f"copy ({query}) to '{temporary}' (format parquet)", params)
    temporary.replace(path)  # a reader never sees half a file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--raw-dir", help="raw root (default: IAPT_RAW_DIR; relative to the project root)"
    )
    args = parser.parse_args()
    # the raw root as dbt's var raw_dir spells it (the on-run-start check compares the
    # text); relative paths are relative to the project root, dbt's working directory
    raw_text = args.raw_dir or os.environ.get("IAPT_RAW_DIR") or "data/raw"
    raw_dir = Path(raw_text) if Path(raw_text).is_absolute() else PROJECT_ROOT / raw_text
    start = time.perf_counter()
    out = scan_dir()
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    scanner = load_model("raw_file_inventory_scanned")
    contract = load_contract()
    layout = scanner.FileLayout(tuple(contract.iapt_v2_files), tuple(contract.must_have_rows))
    query, params = scanner.inventory_query(str(raw_dir), layout)
    write_parquet(con, query, params, out / "raw_file_inventory.parquet")
    query, params = load_model("raw_build_context_scanned").build_context_query(
        str(raw_dir), str(PROJECT_ROOT)
    )
    write_parquet(con, query, params, out / "raw_build_context.parquet")
    every, iapt, kpi = file_counts(raw_dir)
    write_parquet(
        con,
        "select cast($1 as varchar) as raw_dir, cast($2 as bigint) as all_files,"
        " cast($3 as bigint) as iapt_v2_files, cast($4 as bigint) as kpi_files,"
        " current_timestamp::timestamp as scanned_at",
        [raw_text, every, iapt, kpi],
        out / "raw_scan.parquet",
    )
    print(
        f"scan_raw: {raw_dir}: {iapt} IDS file(s), {kpi} KPI file(s) "
        f"-> {out} ({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
