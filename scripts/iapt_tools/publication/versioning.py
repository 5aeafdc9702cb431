"""Immutable, versioned release folders: publications/<YYYY-MM>/v<N>/.

A version is written into a hidden temporary folder beside its final place and renamed
into place only when complete, so a crash never leaves a half-written `v<N>`."""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from iapt_tools.publication.layout import COLUMNS, GROUP_ORDER, KEY_COLUMNS, sql_literal

VERSION_PATTERN = re.compile(r"^v([1-9][0-9]*)$")
REVISION_COLUMNS: tuple[str, ...] = (
    *KEY_COLUMNS,
    "MEASURE_NAME",
    "CHANGE",
    "OLD_VALUE",
    "NEW_VALUE",
    "DIFFERENCE",
)


class PublicationError(RuntimeError):
    """A publication cannot be written as asked (e.g. v2+ without a reason)."""


def existing_versions(month_dir: Path) -> list[int]:
    if not month_dir.is_dir():
        return []
    found = (VERSION_PATTERN.match(p.name) for p in month_dir.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def next_version(month_dir: Path, reason: str | None) -> tuple[int, int | None]:
    """(new version, previous version or None); v2+ needs a reason."""
    versions = existing_versions(month_dir)
    previous = versions[-1] if versions else None
    if previous is not None and not (reason and reason.strip()):
        raise PublicationError(
            f"{month_dir} already has v{previous}: a new version (v{previous + 1}) needs "
            '--reason "why it is re-issued" (e.g. REASON="..." with make publish)'
        )
    return (previous or 0) + 1, previous


TEMP_PATTERN = re.compile(r"^\.v[1-9][0-9]*\.tmp-([0-9]+)$")
STALE_AFTER_SECONDS = 24 * 3600


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def remove_stale_temp_dirs(month_dir: Path, now: float | None = None) -> list[Path]:
    """Remove the .v<N>.tmp-<pid> folders of killed publishes: the writing process is
    gone, or (a reused pid) the folder is untouched for a day. A live publish's folder
    is left alone. Returns what was removed."""
    removed = []
    if not month_dir.is_dir():
        return removed
    now = time.time() if now is None else now
    for path in month_dir.iterdir():
        found = TEMP_PATTERN.match(path.name)
        if not found or not path.is_dir():
            continue
        pid = int(found.group(1))
        old = now - path.stat().st_mtime > STALE_AFTER_SECONDS
        if pid != os.getpid() and (old or not _pid_alive(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_version_dir(month_dir: Path, version: int) -> Iterator[Path]:
    """Yield an empty temporary folder; on success rename it to v<version>."""
    month_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_dirs(month_dir)
    final = month_dir / f"v{version}"
    if final.exists():
        raise PublicationError(f"{final} already exists: versions are never overwritten")
    temp = month_dir / f".v{version}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        yield temp
        _fsync_tree(temp)
        if final.exists():
            raise PublicationError(f"{final} appeared while writing: not overwritten")
        os.rename(temp, final)
        _fsync_dir(month_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for path in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        _fsync_dir(path)


@dataclass(frozen=True)
class Revision:
    """One row of revisions.csv (the summary lists the first few)."""

    key: dict[str, str]
    measure_name: str
    change: str  # changed, added, removed
    old_value: str
    new_value: str
    difference: str


_NUMBER = r"'^-?[0-9]+(\.[0-9]+)?$'"
_MAX_PLACES = 10


def _read_measures_sql(path: Path) -> str:
    """A measures.csv read by DuckDB, every column as text, empty = null."""
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    return (
        f"read_csv({sql_literal(str(path))}, header = true, auto_detect = false,"
        f" delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})"
    )


def _places_sql(text: str) -> str:
    return f"length(split_part({text}, '.', 2))"


def _difference_sql(old: str, new: str) -> str:
    """new - old in exact decimals with the larger number of decimal places of the two;
    null unless both are numbers (e.g. '*' -> '10')."""
    diff = f"({new}::decimal(38, {_MAX_PLACES}) - {old}::decimal(38, {_MAX_PLACES}))"
    places = f"greatest({_places_sql(old)}, {_places_sql(new)})"
    formats = " ".join(
        f"when {p} then {diff}::decimal(38, {p})::varchar" for p in range(_MAX_PLACES + 1)
    )
    return (
        f"case when regexp_matches({old}, {_NUMBER}) and regexp_matches({new}, {_NUMBER})"
        f" then case {places} {formats} end end"
    )


def write_revisions(
    con: duckdb.DuckDBPyConnection, previous_csv: Path, current_csv: Path, path: Path
) -> int:
    """revisions.csv: every published value that differs between two measures.csv files
    (read both in DuckDB, full outer join on the published key); returns its rows.
    Sorted by the published key (period, group type in the national order, ...)."""
    present = " and ".join(f"n.{c} = o.{c}" for c in KEY_COLUMNS)
    keys = ", ".join(f"coalesce(n.{c}, o.{c}) as {c}" for c in KEY_COLUMNS)
    group_rank = " ".join(f"when '{g}' then {i}" for i, g in enumerate(GROUP_ORDER))
    con.execute(
        f"""
        create or replace temp table revisions as
        with old as (select *, nullif(MEASURE_VALUE, '') as v, true as here
                     from {_read_measures_sql(previous_csv)}),
             new as (select *, nullif(MEASURE_VALUE, '') as v, true as here
                     from {_read_measures_sql(current_csv)})
        select * from (
        select {keys},
               coalesce(n.MEASURE_NAME, o.MEASURE_NAME) as MEASURE_NAME,
               case when o.here and n.here then 'changed'
                    when n.here then 'added' else 'removed' end as CHANGE,
               o.v as OLD_VALUE, n.v as NEW_VALUE,
               {_difference_sql("o.v", "n.v")} as DIFFERENCE
        from new n full outer join old o on {present}
        where o.here is null or n.here is null or o.v is distinct from n.v
        )
        order by REPORTING_PERIOD_START, REPORTING_PERIOD_END,
                 case GROUP_TYPE {group_rank} else 9 end, {", ".join(KEY_COLUMNS[2:])}
        """
    )
    columns = ", ".join(REVISION_COLUMNS)
    con.execute(
        f"copy (select {columns} from revisions) to {sql_literal(str(path))}"
        " (header, delimiter ',')"
    )
    row = con.execute("select count(*) from revisions").fetchone()
    return int(row[0]) if row else 0


def read_revisions(path: Path, limit: int) -> list[Revision]:
    """The first `limit` rows of a revisions.csv (streamed, for the summary)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Revision(
                key={c: row[c] for c in KEY_COLUMNS},
                measure_name=row["MEASURE_NAME"],
                change=row["CHANGE"],
                old_value=row["OLD_VALUE"],
                new_value=row["NEW_VALUE"],
                difference=row["DIFFERENCE"],
            )
            for row in itertools.islice(csv.DictReader(handle), limit)
        ]
