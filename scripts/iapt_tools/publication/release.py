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

from iapt_tools import data_quality_statement, settings
from iapt_tools.document import model, render
from iapt_tools.publication import (
    build_info,
    layout,
    manifest,
    metadata,
    official,
    summary,
    versioning,
    workbook,
)

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
    unless_published: bool = False,
) -> Release | None:
    """Write the next version for the as-at month. unless_published (make run): when the
    month already has a version and no reason is given, write nothing and return None."""
    if not warehouse.exists():
        raise versioning.PublicationError(f"warehouse {warehouse} does not exist: build it first")
    con = layout.connect(warehouse)
    try:
        build = build_info.read_build(con)
        as_at = as_at or build.as_at_month or layout.latest_month(con)
        if not AS_AT_PATTERN.match(as_at):
            raise versioning.PublicationError(f"--as-at must be YYYY-MM, not {as_at!r}")
        build_info.check_as_at(build, as_at)
        layout.check_as_at(con, as_at)
        # A missing reason is a user error: report it before any heavy work.
        month_dir = output_dir / "publications" / as_at
        if unless_published and not reason and versioning.existing_versions(month_dir):
            return None
        version, previous = versioning.next_version(month_dir, reason)
        layout.check_catalogue(con)
        scope = layout.Scope(as_at)
        rows = layout.create_published(con, scope)
        official.create_official(con, scope)
        if not rows:
            raise versioning.PublicationError(f"marts.measures has no periods up to {as_at}")
        catalogue = _catalogue(con)
        submissions = manifest.submissions(con, scope.end)
        periods = manifest.periods(con, scope)
        created = datetime.now(UTC).replace(microsecond=0)
        with versioning.atomic_version_dir(month_dir, version) as folder:
            revisions = write_files(
                con, folder, month_dir, as_at, version, reason, previous, catalogue, periods,
                created,
            )  # fmt: skip
            content: dict[str, Any] = {
                "publication": "NHS Talking Therapies (IAPT) statistics",
                "version": version,
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "as_at_month": as_at,
                "scope": scope.describe(),
                "status_per_month": manifest.status_per_month(con),
                "periods": periods,
                "submissions": submissions,
                "row_counts": manifest.row_counts(con, revisions),
                "git_commit": manifest.git_commit(
                    project_root or Path(__file__).resolve().parents[3]
                ),
                "warehouse": warehouse.name,
                # the build behind it: as-at month, raw fingerprint, is_synthetic, versions
                "build": build.as_manifest(),
            }
            if previous is not None:
                content["previous_version"] = previous
                content["reason"] = reason
            # The statement opens the warehouse itself (one configuration per file).
            con.close()
            # without the provider x month data-quality CSVs: their counts are not
            # disclosure-controlled; they stay in the warehouse (marts.fct_data_quality_*)
            data_quality_statement.write_data_quality_statement(
                warehouse, folder, release=f"{content['publication']}, version {version}",
                month=as_at, include_csvs=False,
            )  # fmt: skip
            manifest.write_manifest(folder, content)
    finally:
        con.close()
    return Release(
        folder=month_dir / f"v{version}",
        version=version,
        previous_version=previous,
        rows=rows,
        revisions=revisions,
    )


def write_files(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    month_dir: Path,
    as_at: str,
    version: int,
    reason: str | None,
    previous: int | None,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
    created: datetime,
) -> int | None:
    """The official files, measures.csv, revisions.csv (v2+), metadata.json, the summary,
    charts and workbook; returns the number of revisions (None for v1)."""
    files = official.write_files(con, folder)
    layout.write_csv(con, folder / "measures.csv")
    revisions: tuple[int, list[versioning.Revision]] | None = None
    if previous is not None:
        path = folder / "revisions.csv"
        old = month_dir / f"v{previous}" / "measures.csv"
        total = versioning.write_revisions(con, old, folder / "measures.csv", path)
        revisions = (total, versioning.read_revisions(path, summary.MAX_REVISIONS_LISTED))
    build = metadata.build_info(con)
    coverage, coverage_definition = metadata.coverage(con, layout.month_end(as_at))
    metadata.write_metadata(
        con,
        folder,
        as_at=as_at,
        version=version,
        published=created.date(),
        files=files,
        disclosure_rules=workbook.DISCLOSURE_RULES,
        build=build,
    )
    info = summary.ReleaseInfo(
        published=created.date(),
        contact=settings.publication_contact(),
        statistics_status=settings.statistics_status(),
        is_synthetic=None if build is None else bool(build.get("is_synthetic")),
        coverage=tuple(coverage),
        coverage_definition=coverage_definition,
        national_providers=metadata.national_providers(con),
        files=release_files(files, previous is not None),
    )
    doc = summary.build_summary(con, as_at, version, reason, previous, revisions, info)
    banner = next((b.text for b in doc.blocks if isinstance(b, model.Banner)), "")
    facts = next(b for b in doc.blocks if isinstance(b, model.Table))
    workbook.write_workbook(
        con,
        folder / "measures.xlsx",
        title=doc.title,
        catalogue=catalogue,
        periods=periods,
        created=created,
        cover=[(name, value) for name, value in facts.rows],
        banner=banner,
    )
    charts_dir = folder / "charts"
    charts_dir.mkdir()
    paths = {}
    for chart in doc.charts:
        (charts_dir / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
        paths[chart.name] = f"charts/{chart.name}.svg"
    markdown = render.to_markdown(doc, "summary", paths)
    (folder / "executive_summary.md").write_text(markdown, encoding="utf-8")
    (folder / "executive_summary.html").write_text(render.to_html(doc, "summary"), encoding="utf-8")
    return revisions[0] if revisions is not None else None


def release_files(
    files: Sequence[official.OfficialFile], has_revisions: bool
) -> tuple[tuple[str, str], ...]:
    """Every file of the release with a line on what it holds (the summary links them)."""
    kinds = {
        "monthly": "monthly measures in NHS England's layout",
        "quarterly": "quarterly measures with breakdowns (VARIABLE_TYPE/_A/_B)",
        "annual": "financial-year measures with breakdowns",
        "kpi_returns": "quarterly KPI returns at PCT, SHA and England level",
    }
    listed = []
    for f in files:
        what = kinds[f.kind]
        if "series" in f.name:
            what = f"England {f.kind} rows of earlier periods (the time series)"
        if f.additional:
            what += ", project-defined measures (not in the NHS England dictionary)"
        status = "/".join(f.statuses)
        listed.append((f.name, f"{what}; {status}; {f.rows:,} rows"))
    listed += [
        ("measures.csv", "every published row in one file, this project's own layout"),
        ("measures.xlsx", "the workbook: cover, contents, notes and the data"),
        (metadata.METADATA_NAME, "measures and definitions, disclosure rules, periods"),
        ("data_quality_statement.html", "the data-quality statement"),
        ("data_quality_statement.md", "the data-quality statement (Markdown)"),
    ]
    if has_revisions:
        listed.append(("revisions.csv", "values changed since the previous version"))
    listed.append((manifest.MANIFEST_NAME, "provenance, row counts, SHA-256 of every file"))
    return tuple(listed)
