"""manifest.json: what a release contains and where it came from."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.publication.disclosure import SUPPRESSED
from iapt_tools.publication.layout import PUBLISHED, Scope

MANIFEST_NAME = "manifest.json"
SUBMISSION_COLUMNS = (
    "unique_submission_id",
    "provider_code",
    "reporting_period_start",
    "file_type",
    "submitted_at",
    "is_used",
    "selection_reason",
)


def sha256(path: Path) -> str:
    """Hashed in 1 MiB blocks: a national measures.csv is never read into memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit(project_root: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=project_root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def submissions(con: duckdb.DuckDBPyConnection, as_at_end: date) -> dict[str, Any]:
    """The record-level submissions behind the release, from marts.dim_submissions."""
    cols = ", ".join(SUBMISSION_COLUMNS)
    rows = con.execute(
        f"select {cols} from marts.dim_submissions where reporting_period_start <= ? "
        "order by reporting_period_start, provider_code, unique_submission_id",
        [as_at_end],
    ).fetchall()
    records = [dict(zip(SUBMISSION_COLUMNS, map(_json_value, r), strict=True)) for r in rows]
    used = [
        {k: v for k, v in r.items() if k not in ("is_used", "selection_reason")}
        for r in records
        if r["is_used"]
    ]
    not_used = Counter(str(r["selection_reason"]) for r in records if not r["is_used"])
    return {
        "used": used,
        "used_count": len(used),
        "providers": sorted({str(r["provider_code"]) for r in used}),
        "file_types": dict(sorted(Counter(str(r["file_type"]) for r in used).items())),
        "not_used_by_reason": dict(sorted(not_used.items())),
    }


def periods(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[dict[str, str]]:
    """Every period in the release, with its status and whether it is published at every
    level ('full') or as the England Total time series only ('England Total')."""
    rows = con.execute(
        f"""
        select strftime(REPORTING_PERIOD_START, '%Y-%m-%d'),
               strftime(REPORTING_PERIOD_END, '%Y-%m-%d'), period_type, source,
               arg_min(STATUS, rowid), {scope.detail_sql("source", "REPORTING_PERIOD_END")}
        from {PUBLISHED} group by all order by 1, 2, 3, 4
        """
    ).fetchall()
    names = ("start", "end", "period_type", "source", "status", "detail")
    return [dict(zip(names, row, strict=True)) for row in rows]


def status_per_month(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute(
        f"select strftime(REPORTING_PERIOD_START, '%Y-%m'), arg_max(STATUS, rowid)"
        f" from {PUBLISHED}"
        " where period_type = 'month' group by 1 order by 1"
    ).fetchall()
    return dict(rows)


def row_counts(con: duckdb.DuckDBPyConnection, revisions: int | None) -> dict[str, Any]:
    def counted(column: str) -> dict[str, int]:
        sql = f"select {column}, count(*) from {PUBLISHED} group by 1 order by 1"
        return dict(con.execute(sql).fetchall())

    total = con.execute(
        f"select count(*), count(*) filter (where MEASURE_VALUE = '{SUPPRESSED}') from {PUBLISHED}"
    ).fetchone()
    assert total is not None
    counts: dict[str, Any] = {
        "measures_csv": total[0],
        "by_source": counted("source"),
        "by_group_type": counted("GROUP_TYPE"),
        "by_period_type": counted("period_type"),
        "suppressed_values": total[1],
    }
    if revisions is not None:
        counts["revisions_csv"] = revisions
    return counts


def write_manifest(folder: Path, content: dict[str, Any]) -> Path:
    """Add the SHA-256 of every other file in the folder and write manifest.json."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST_NAME)
    content = {
        **content,
        "files": {
            p.relative_to(folder).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size}
            for p in files
        },
    }
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
