"""Select the release's rows of marts.measures (read-only), lay them out in the national
layout with disclosure control, all in DuckDB: the result is the temporary table
`published`, which every other part of the release reads, and `measures.csv` is a COPY
of it. Nothing here holds the rows in Python."""

from __future__ import annotations

import calendar
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.publication.disclosure import (
    MeasureType,
    protect_against_differencing,
    published_value_sql,
)
from iapt_tools.settings import PROJECT_ROOT
from iapt_tools.warehouse import connect as connect_warehouse

COLUMNS: tuple[str, ...] = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "STATUS",
    "GROUP_TYPE",
    "ORG_CODE1",
    "ORG_NAME1",
    "ORG_CODE2",
    "ORG_NAME2",
    "BREAKDOWN",
    "BREAKDOWN_VALUE",
    "MEASURE_ID",
    "MEASURE_NAME",
    "MEASURE_VALUE",
)
# The columns that identify a published value (used for revisions).
KEY_COLUMNS: tuple[str, ...] = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "GROUP_TYPE",
    "ORG_CODE1",
    "ORG_CODE2",
    "BREAKDOWN",
    "BREAKDOWN_VALUE",
    "MEASURE_ID",
)
# KPI-return rows are told apart from record-level rows by this BREAKDOWN label
# (the national layout has no source column; see docs/publication.md).
KPI_RETURN_BREAKDOWN = "KPI return"
GROUP_ORDER = ("England", "Region", "Commissioner", "Provider", "Commissioner/Provider")
PERIOD_ORDER = {"month": 0, "quarter": 1, "year": 2}
CHANGE_ON_PREVIOUS_PREFIX = "Percentage_ChangeOnPrevious"
PUBLISHED = "published"  # the temporary table holding the release's rows
# DuckDB's own memory for the release; beyond it DuckDB spills to IAPT_DUCKDB_TEMP_DIR.
DEFAULT_MEMORY_LIMIT = "1GB"


def month_end(as_at: str) -> date:
    year, month = (int(part) for part in as_at.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Scope:
    """Which rows a release carries (docs/publication.md "Which periods"):
    - record-level rows at every group type and breakdown for periods ending in the
      as-at month or the month before it;
    - record-level England `Total` rows for every period ending by the as-at month (the
      England time series);
    - KPI-return rows for every period ending by the as-at month."""

    as_at: str

    @property
    def end(self) -> date:
        """The last day of the as-at month."""
        return month_end(self.as_at)

    @property
    def detail_from(self) -> date:
        """The first day of the month before the as-at month."""
        return (self.end.replace(day=1) - timedelta(days=1)).replace(day=1)

    def where_sql(self, alias: str = "m") -> str:
        a = alias
        return (
            f"{a}.reporting_period_end <= date '{self.end.isoformat()}' and ("
            f"{a}.source = 'kpi_return'"
            f" or {a}.reporting_period_end >= date '{self.detail_from.isoformat()}'"
            f" or ({a}.group_type = 'England' and {a}.breakdown = 'Total'))"
        )

    def detail_sql(self, source: str, period_end: str) -> str:
        """SQL: 'full' for a period published at every level, else 'England Total'."""
        return (
            f"case when {source} = 'kpi_return' or {period_end} >= "
            f"date '{self.detail_from.isoformat()}' then 'full' else 'England Total' end"
        )

    def describe(self) -> dict[str, Any]:
        """For the manifest: the rule and its dates for this release."""
        return {
            "rule": "record-level rows at every level for periods ending in the as-at "
            "month or the month before; record-level England Total rows and KPI-return "
            "rows for every period ending by the as-at month",
            "full_detail_period_end_from": self.detail_from.isoformat(),
            "period_end_to": self.end.isoformat(),
        }


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only, with a bounded memory budget. Insertion order is kept
    so that plain scans of `published` come back in publication order."""
    temp_dir = Path(os.environ.get("IAPT_DUCKDB_TEMP_DIR") or "target/duckdb_tmp")
    temp_dir = temp_dir if temp_dir.is_absolute() else PROJECT_ROOT / temp_dir
    temp_dir.mkdir(parents=True, exist_ok=True)
    config = {
        "threads": int(os.environ.get("IAPT_DUCKDB_THREADS") or "2"),
        "memory_limit": os.environ.get("IAPT_PUBLISH_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": True,
    }
    return connect_warehouse(warehouse, config)


def latest_month(con: duckdb.DuckDBPyConnection) -> str:
    """The as-at default: the latest month in marts.measures (a month row if any,
    else the month in which the latest period ends)."""
    row = con.execute(
        "select coalesce(max(case when period_type = 'month' then reporting_period_start end),"
        " max(reporting_period_end)) from marts.measures"
    ).fetchone()
    if row is None or row[0] is None:
        raise ValueError("marts.measures is empty: nothing to publish")
    return row[0].strftime("%Y-%m")


def check_as_at(con: duckdb.DuckDBPyConnection, as_at: str) -> None:
    """An as-at month after the latest data would publish an empty headline."""
    latest = latest_month(con)
    if as_at > latest:
        raise ValueError(f"--as-at {as_at} is after the latest month in marts.measures ({latest})")


def check_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """Every measure needs a known measure_type: it decides the disclosure rule."""
    missing = con.execute(
        "select distinct m.measure_id from marts.measures m"
        " left join reference.measure_catalogue c on c.measure_id = m.measure_id"
        " where c.measure_type is null order by 1"
    ).fetchall()
    if missing:
        ids = ", ".join(r[0] for r in missing)
        raise ValueError(f"measures without a measure_type in reference.measure_catalogue: {ids}")
    known = ", ".join(f"'{t}'" for t in MeasureType)
    unknown = con.execute(
        "select distinct measure_type from reference.measure_catalogue"
        f" where lower(measure_type) not in ({known}) order by 1"
    ).fetchall()
    if unknown:
        raise ValueError(f"unknown measure_type in the catalogue: {unknown[0][0]!r}")


def _case(column: str, order: dict[str, int] | tuple[str, ...]) -> str:
    ranks = order.items() if isinstance(order, dict) else ((v, i) for i, v in enumerate(order))
    whens = " ".join(f"when '{value}' then {rank}" for value, rank in ranks)
    return f"case {column} {whens} else 9 end"


# Publication order: by group type (England, Region, Commissioner, Provider,
# Commissioner/Provider: the workbook's sheets), record-level before KPI returns, months,
# quarters, years, then by period, organisation, breakdown (Total first) and measure.
SORT_SQL = ", ".join(
    (
        _case("group_type", GROUP_ORDER),
        "group_type",
        "source <> 'record_level'",
        _case("period_type", PERIOD_ORDER),
        "reporting_period_start",
        "org_code1",
        "org_code2",
        "breakdown <> 'Total'",
        "breakdown",
        "breakdown_value",
        "measure_id",
    )
)


def create_published(con: duckdb.DuckDBPyConnection, scope: Scope) -> int:
    """Create the temporary table `published`, stored in publication order; returns its
    rows. One scan of marts.measures and one sort, no window functions: a row's place
    is its `rowid`, and each group type's rows are contiguous.

    Columns: the national layout (COLUMNS; the period dates as DATE, which DuckDB
    writes as YYYY-MM-DD; MEASURE_VALUE as published text, null = empty), `source`,
    `period_type`, and `raw_value` (the unrounded measure_value: only the funnel plot's
    denominator reads it, through the disclosure rounding)."""
    con.execute(
        f"""
        create or replace temp table {PUBLISHED} as
        with selected as (
            select m.*, lower(c.measure_type) as measure_type,
                   starts_with(m.measure_name, '{CHANGE_ON_PREVIOUS_PREFIX}')
                       as is_change_on_previous
            from marts.measures m
            join reference.measure_catalogue c on c.measure_id = m.measure_id
            where {scope.where_sql("m")}
        )
        select source, period_type,
               reporting_period_start as REPORTING_PERIOD_START,
               reporting_period_end as REPORTING_PERIOD_END,
               status as STATUS, group_type as GROUP_TYPE,
               org_code1 as ORG_CODE1, org_name1 as ORG_NAME1,
               org_code2 as ORG_CODE2, org_name2 as ORG_NAME2,
               case when source = 'kpi_return' then '{KPI_RETURN_BREAKDOWN}'
                    else breakdown end as BREAKDOWN,
               breakdown_value as BREAKDOWN_VALUE,
               measure_id as MEASURE_ID, measure_name as MEASURE_NAME,
               {published_value_sql()} as MEASURE_VALUE,
               measure_value as raw_value
        from selected
        order by {SORT_SQL}
        """
    )
    # no suppressed count may be recovered as England minus the other published cells
    protect_against_differencing(con, PUBLISHED)
    return count_unique_rows(con, PUBLISHED, KEY_COLUMNS, "duplicate published key")


def count_unique_rows(
    con: duckdb.DuckDBPyConnection, relation: str, keys: Sequence[str], problem: str
) -> int:
    """The rows of a published relation, after checking that its key is unique (a
    duplicate would be two values for one cell)."""
    columns = ", ".join(keys)
    duplicate = con.execute(
        f"select {columns} from {relation} group by all having count(*) > 1 limit 1"
    ).fetchone()
    if duplicate is not None:
        raise ValueError(f"{problem} {duplicate}")
    row = con.execute(f"select count(*) from {relation}").fetchone()
    return int(row[0]) if row else 0


def write_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """measures.csv, streamed by DuckDB (a plain scan keeps the stored order)."""
    columns = ", ".join(COLUMNS)
    con.execute(
        f"copy (select {columns} from {PUBLISHED}) to {sql_literal(str(path))}"
        " (header, delimiter ',')"
    )


def sql_literal(text: str) -> str:
    """A SQL string literal (COPY and read_csv take file names only as literals)."""
    return "'" + text.replace("'", "''") + "'"
