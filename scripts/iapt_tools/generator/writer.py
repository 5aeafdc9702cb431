"""Write tables as CSV: one DuckDB ``COPY … PARTITION_BY`` per table, then move files."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from .codes import TABLE_COLUMNS


def copy_partitioned(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    folders: dict[str, Path],
    tmp_root: Path,
) -> int:
    """COPY ``source`` (key, rn, columns…) into ``<folder>/<table>.csv`` for each key.

    Rows keep their ``rn`` order (DuckDB preserves order in a single-threaded COPY).
    Keys without rows get a header-only file. Returns the number of rows written.
    """
    cols = ", ".join(f'"{c}"' for c in TABLE_COLUMNS[table])
    tmp = tmp_root / table
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp_root.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"copy (select key, {cols} from {source} order by key, rn) to '{tmp.as_posix()}' "
        "(format csv, header true, partition_by (key), write_partition_columns false)"
    )
    rows = con.execute(f"select count(*) from {source}").fetchone()
    for key, folder in folders.items():
        target = folder / f"{table}.csv"
        part = tmp / f"key={key}"
        files = sorted(part.glob("*.csv")) if part.exists() else []
        if len(files) > 1:
            raise RuntimeError(f"{table}: several files for {key}: {files}")
        if files:
            files[0].replace(target)
        else:
            write_rows(target, TABLE_COLUMNS[table], [])
    shutil.rmtree(tmp)
    return int(rows[0]) if rows else 0


def write_rows(path: Path, columns: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A small CSV (header plus rows) with the csv module; None is written as empty."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
