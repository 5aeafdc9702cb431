"""Write one versioned release: read the warehouse, apply disclosure control, write
every file into a temporary folder, then rename it to publications/<YYYY-MM>/v<N>/."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools import data_quality_statement
from iapt_tools.publication import layout, manifest, summary, versioning, workbook

AS_AT_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Release:
    folder: Path
    version: int
    previous_version: int | None
    rows: int
    revisions: int | None


def _catalogue(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    cursor = con.execute("select * from reference.measure_catalogue order by measure_id")
    names = [d[0] for d in cursor.description]
    return [
        {n: "" if v is None else str(v) for n, v in zip(names, r, strict=True)}
        for r in cursor.fetchall()
    ]


def publish(
    warehouse: Path,
    output_dir: Path,
    as_at: str | None = None,
    reason: str | None = None,
    project_root: Path | None = None,
) -> Release:
    if not warehouse.exists():
        raise versioning.PublicationError(f"warehouse {warehouse} does not exist: build it first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        as_at = as_at or layout.latest_month(con)
        if not AS_AT_PATTERN.match(as_at):
            raise versioning.PublicationError(f"--as-at must be YYYY-MM, not {as_at!r}")
        layout.check_as_at(con, as_at)
        source_rows = layout.read_rows(con, as_at)
        if not source_rows:
            raise versioning.PublicationError(f"marts.measures has no periods up to {as_at}")
        catalogue = _catalogue(con)
        submissions = manifest.submissions(con, layout.month_end(as_at))
    finally:
        con.close()
    rows = layout.publish_rows(source_rows)

    month_dir = output_dir / "publications" / as_at
    version, previous = versioning.next_version(month_dir, reason)
    revisions: list[versioning.Revision] | None = None
    if previous is not None:
        old = layout.read_csv(month_dir / f"v{previous}" / "measures.csv")
        revisions = versioning.compute_revisions(old, [r.values for r in rows])
    created = datetime.now(UTC).replace(microsecond=0)
    periods = manifest.periods(rows)
    with versioning.atomic_version_dir(month_dir, version) as folder:
        write_files(
            folder, rows, as_at, version, reason, previous, revisions, catalogue, periods, created
        )
        data_quality_statement.write_data_quality_statement(warehouse, folder)
        content: dict[str, Any] = {
            "publication": "NHS Talking Therapies (IAPT) statistics",
            "version": version,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "as_at_month": as_at,
            "status_per_month": manifest.status_per_month(rows),
            "periods": periods,
            "submissions": submissions,
            "row_counts": manifest.row_counts(
                rows, len(revisions) if revisions is not None else None
            ),
            "git_commit": manifest.git_commit(project_root or Path(__file__).resolve().parents[3]),
            "warehouse": warehouse.name,
        }
        if previous is not None:
            content["previous_version"] = previous
            content["reason"] = reason
        manifest.write_manifest(folder, content)
    return Release(
        folder=month_dir / f"v{version}",
        version=version,
        previous_version=previous,
        rows=len(rows),
        revisions=len(revisions) if revisions is not None else None,
    )


def write_files(
    folder: Path,
    rows: Sequence[layout.PublishedRow],
    as_at: str,
    version: int,
    reason: str | None,
    previous: int | None,
    revisions: Sequence[versioning.Revision] | None,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
    created: datetime,
) -> None:
    layout.write_csv(rows, folder / "measures.csv")
    doc = summary.build_summary(rows, as_at, version, reason, previous, revisions)
    workbook.write_workbook(
        rows,
        folder / "measures.xlsx",
        title=doc.title,
        catalogue=catalogue,
        periods=periods,
        created=created,
    )
    if revisions is not None:
        versioning.write_revisions(revisions, folder / "revisions.csv")
    charts_dir = folder / "charts"
    charts_dir.mkdir()
    paths = {}
    for chart in doc.charts:
        (charts_dir / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
        paths[chart.name] = f"charts/{chart.name}.svg"
    (folder / "executive_summary.md").write_text(summary.to_markdown(doc, paths), encoding="utf-8")
    (folder / "executive_summary.html").write_text(summary.to_html(doc), encoding="utf-8")
