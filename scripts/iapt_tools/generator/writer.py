"""Write tables as CSV: one DuckDB ``COPY`` per table into a single sorted file, then a
fast byte-level split into one file per submission folder."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import duckdb
import numpy as np

from .codes import TABLE_COLUMNS

CHUNK = 64 * 1024 * 1024


def copy_split(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: str,
    folders: dict[str, Path],
    tmp_dir: Path,
) -> int:
    """Write ``source`` (key, rn, columns…) as ``<folder>/<table>.csv`` for every key.

    The rows are written once, sorted by (key, rn), with DuckDB; the file is then cut at
    line boundaries (the data hold no quoted newlines). Keys without rows get a
    header-only file. Returns the number of rows written.
    """
    cols = ", ".join(f'"{c}"' for c in TABLE_COLUMNS[table])
    tmp_dir.mkdir(parents=True, exist_ok=True)
    big = tmp_dir / f"{table}.csv"
    con.execute(
        f"copy (select {cols} from {source} order by key, rn) to '{big.as_posix()}' "
        "(format csv, header true)"
    )
    counts = con.execute(f"select key, count(*) from {source} group by key order by key").fetchall()
    total = _split(big, counts, folders, table)
    big.unlink()
    for folder in folders.values():
        target = folder / f"{table}.csv"
        if not target.exists():
            write_rows(target, TABLE_COLUMNS[table], [])
    return total


def _split(big: Path, counts: list[tuple[str, int]], folders: dict[str, Path], table: str) -> int:
    total = 0
    with big.open("rb") as src:
        header = src.readline()
        buf = b""
        nl = np.empty(0, dtype=np.int64)
        nl_i = 0
        start = 0
        for key, n in counts:
            with (folders[key] / f"{table}.csv").open("wb") as out:
                out.write(header)
                remaining = n
                while remaining > 0:
                    if nl_i >= nl.size:
                        more = src.read(CHUNK)
                        if not more:
                            raise RuntimeError(f"{big}: fewer lines than expected")
                        buf = buf[start:] + more
                        start = 0
                        nl = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10)
                        nl_i = 0
                        continue
                    take = min(remaining, nl.size - nl_i)
                    end = int(nl[nl_i + take - 1]) + 1
                    out.write(buf[start:end])
                    start = end
                    nl_i += take
                    remaining -= take
            total += n
        if src.read(1) or nl_i < nl.size:
            raise RuntimeError(f"{big}: more lines than expected")
    return total


def write_rows(path: Path, columns: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A small CSV (header plus rows) with the csv module; None is written as empty."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
