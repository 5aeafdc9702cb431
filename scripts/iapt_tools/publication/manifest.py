"""manifest.json: what a release contains and where it came from."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.publication.layout import PublishedRow

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


def periods(rows: Sequence[PublishedRow]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str, str, str], str] = {}
    for row in rows:
        key = (
            row.values["REPORTING_PERIOD_START"],
            row.values["REPORTING_PERIOD_END"],
            row.period_type,
            row.source,
        )
        seen.setdefault(key, row.values["STATUS"])
    return [
        {"start": s, "end": e, "period_type": p, "source": src, "status": status}
        for (s, e, p, src), status in sorted(seen.items())
    ]


def status_per_month(rows: Sequence[PublishedRow]) -> dict[str, str]:
    return {
        row.values["REPORTING_PERIOD_START"][:7]: row.values["STATUS"]
        for row in rows
        if row.period_type == "month"
    }


def row_counts(rows: Sequence[PublishedRow], revisions: int | None) -> dict[str, Any]:
    counts: dict[str, Any] = {
        "measures_csv": len(rows),
        "by_source": dict(sorted(Counter(r.source for r in rows).items())),
        "by_group_type": dict(sorted(Counter(r.values["GROUP_TYPE"] for r in rows).items())),
        "by_period_type": dict(sorted(Counter(r.period_type for r in rows).items())),
        "suppressed_values": sum(r.values["MEASURE_VALUE"] == "*" for r in rows),
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
