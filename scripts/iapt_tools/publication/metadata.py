"""metadata.json (the release's measures with their definitions, the disclosure rules,
the data set, the as-at month and the status of each period) and the small facts the
release furniture needs: where the input came from (marts.dim_build) and which
providers submitted (marts.dim_submissions)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.publication.official import OFFICIAL, OfficialFile, era_group_types
from iapt_tools.publication.summary import Coverage

METADATA_NAME = "metadata.json"
DATA_SET = "record-level submissions modelled on the IAPT Data Set v2.x tables (IDS000-IDS606; "
DATA_SET += "docs/input-contract.md) and the 2011/12-2012/13 quarterly IAPT KPI returns"


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """marts.dim_build (one row: as_at_month, raw fingerprint, is_synthetic), or None when
    the warehouse has no such table."""
    if not _has_table(con, "marts", "dim_build"):
        return None
    cursor = con.execute("select * from marts.dim_build limit 1")
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    if row is None:
        return None
    values = zip(names, row, strict=True)
    return {n: (v.isoformat() if isinstance(v, date) else v) for n, v in values}


COVERAGE_FROM_MART = (
    "Providers whose record-level submission for the month was used, against the "
    "providers expected (those with a used submission for some month of the 12 months "
    "ending at the month; marts.fct_submission_coverage), and the files used."
)
COVERAGE_FROM_SUBMISSIONS = (
    "Providers whose record-level submission for the month was used, against the "
    "providers expected (every provider that has sent a submission for any month up to "
    "the reporting month), and the files used."
)


def coverage(con: duckdb.DuckDBPyConnection, as_at_end: date) -> tuple[list[Coverage], str]:
    """Per month up to the as-at month: providers submitting against those expected and
    the used files by type, with the definition of "expected" used. From
    marts.fct_submission_coverage when the warehouse has it, else from
    marts.dim_submissions (expected = every provider with a submission up to the as-at
    month)."""
    if _has_table(con, "marts", "fct_submission_coverage"):
        rows = con.execute(
            "select reporting_period_start, providers_submitting, providers_expected,"
            " providers_primary_used, providers_refresh_used"
            " from marts.fct_submission_coverage where reporting_period_start <= ?"
            " order by reporting_period_start",
            [as_at_end],
        ).fetchall()
        definition = COVERAGE_FROM_MART
    else:
        rows = con.execute(
            """
            with subs as (
                select * from marts.dim_submissions where reporting_period_start <= ?
            ),
            expected as (select count(distinct provider_code) as n from subs)
            select reporting_period_start,
                   count(distinct provider_code) filter (where is_used),
                   any_value(expected.n),
                   count(*) filter (where is_used and file_type = 'Primary'),
                   count(*) filter (where is_used and file_type = 'Refresh')
            from subs cross join expected
            group by reporting_period_start order by reporting_period_start
            """,
            [as_at_end],
        ).fetchall()
        definition = COVERAGE_FROM_SUBMISSIONS
    return [Coverage(m, int(s), int(e), int(p), int(r)) for m, s, e, p, r in rows], definition


def national_providers(con: duckdb.DuckDBPyConnection) -> int | None:
    """Providers on the national reference list (reference.org_iapt_providers)."""
    if not _has_table(con, "reference", "org_iapt_providers"):
        return None
    sql = "select count(distinct provider_code) from reference.org_iapt_providers"
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] else None


def measures(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    """Every measure in the official files with its definition: the NHS England
    dictionary's description where the id is official, else the catalogue's."""
    rows = con.execute(
        f"""
        with used as (select distinct MEASURE_ID as measure_id from {OFFICIAL}),
        dictionary as (
            select measure_id, any_value(measure_name) as name, any_value(description) as d,
                   any_value(metadata_version) as edition
            from reference.official_measure_dictionary where measure_type <> 'Variable'
            group by measure_id
        )
        select c.measure_id, c.measure_name, lower(c.measure_type),
               coalesce(d.d, c.description),
               case when d.measure_id is null then 'project catalogue (seeds/measures)'
                    else 'NHS England measure dictionary ' || d.edition end
        from used u join reference.measure_catalogue c using (measure_id)
        left join dictionary d using (measure_id)
        order by c.measure_id
        """
    ).fetchall()
    names = ("measure_id", "measure_name", "measure_type", "definition", "definition_source")
    return [dict(zip(names, r, strict=True)) for r in rows]


def periods(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    rows = con.execute(
        f"""
        select strftime(REPORTING_PERIOD_START, '%Y-%m-%d'),
               strftime(REPORTING_PERIOD_END, '%Y-%m-%d'), period_type, source,
               arg_min(STATUS, rowid), list(distinct file order by file)
        from {OFFICIAL} group by all order by 1, 2, 3, 4
        """
    ).fetchall()
    names = ("start", "end", "period_type", "source", "status", "files")
    return [dict(zip(names, r, strict=True)) for r in rows]


def write_metadata(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    as_at: str,
    version: int,
    published: date,
    files: Sequence[OfficialFile],
    disclosure_rules: Sequence[str],
    build: dict[str, Any] | None,
) -> Path:
    content = {
        "publication": "NHS Talking Therapies (IAPT) statistics",
        "as_at_month": as_at,
        "version": version,
        "publication_date": published.isoformat(),
        "synthetic_data": None if build is None else bool(build.get("is_synthetic")),
        "build": build,
        "data_set": DATA_SET,
        "layout": {
            "monthly": "NHS England's monthly CSV: one row per (month, organisation pair, "
            "measure); dates YYYY-MM-DD; '*' = suppressed; empty = not defined",
            "quarterly": "the monthly columns plus VARIABLE_TYPE, VARIABLE_A, VARIABLE_B "
            "(the measure dictionary's variable labels; 'Total' = all records)",
            "group_types_by_era": era_group_types(con),
            "status": "Provisional or Final, in each file's name and per period below",
        },
        "disclosure_rules": list(disclosure_rules),
        "files": [f.describe() for f in files],
        "periods": periods(con),
        "measures": measures(con),
    }
    path = folder / METADATA_NAME
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
