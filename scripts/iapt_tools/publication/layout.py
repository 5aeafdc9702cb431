"""Read marts.measures (read-only) and turn it into the published national layout."""

from __future__ import annotations

import calendar
import csv
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from iapt_tools.publication.disclosure import MeasureType, MeasureValue, disclose

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


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of marts.measures with its catalogue type."""

    reporting_period_start: date
    reporting_period_end: date
    period_type: str
    status: str
    source: str
    group_type: str
    org_code1: str
    org_name1: str
    org_code2: str
    org_name2: str
    breakdown: str
    breakdown_value: str
    measure_id: str
    measure_name: str
    numerator: float | None
    denominator: float | None
    measure_value: float | None
    measure_type: MeasureType


@dataclass(frozen=True, slots=True)
class PublishedRow:
    """One row of measures.csv, plus the facts about it the release needs."""

    values: dict[str, str]
    period_type: str
    source: str
    source_row: SourceRow

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.values[c] for c in KEY_COLUMNS)


def month_end(as_at: str) -> date:
    year, month = (int(part) for part in as_at.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


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


def read_rows(con: duckdb.DuckDBPyConnection, as_at: str) -> list[SourceRow]:
    """Every row of marts.measures for periods ending on or before the as-at month."""
    missing = con.execute(
        "select distinct m.measure_id from marts.measures m"
        " left join reference.measure_catalogue c on c.measure_id = m.measure_id"
        " where c.measure_type is null order by 1"
    ).fetchall()
    if missing:
        ids = ", ".join(r[0] for r in missing)
        raise ValueError(f"measures without a measure_type in reference.measure_catalogue: {ids}")
    result = con.execute(
        """
        select m.reporting_period_start, m.reporting_period_end, m.period_type, m.status,
               m.source, m.group_type, m.org_code1, m.org_name1, m.org_code2, m.org_name2,
               m.breakdown, m.breakdown_value, m.measure_id, m.measure_name,
               m.numerator, m.denominator, m.measure_value, lower(c.measure_type)
        from marts.measures m
        join reference.measure_catalogue c on c.measure_id = m.measure_id
        where m.reporting_period_end <= ?
        """,
        [month_end(as_at)],
    ).fetchall()
    # Published tables repeat the same few thousand texts and dates millions of times:
    # share one object per distinct value (about half the memory at national scale).
    shared: dict[object, object] = {}
    rows = [
        SourceRow(
            *(v if isinstance(v, float) else shared.setdefault(v, v) for v in r[:17]),
            measure_type=MeasureType(r[17]),
        )
        for r in result
    ]
    return sorted(rows, key=_sort_key)


def _sort_key(row: SourceRow) -> tuple[object, ...]:
    return (
        0 if row.source == "record_level" else 1,
        PERIOD_ORDER.get(row.period_type, 9),
        row.reporting_period_start,
        GROUP_ORDER.index(row.group_type) if row.group_type in GROUP_ORDER else 9,
        row.org_code1,
        row.org_code2,
        row.breakdown != "Total",
        row.breakdown,
        row.breakdown_value,
        row.measure_id,
    )


@functools.lru_cache(maxsize=4096)
def _iso(day: date) -> str:
    return day.isoformat()


def publish_row(row: SourceRow) -> PublishedRow:
    """The national-layout row of one marts.measures row, after disclosure control."""
    value = disclose(
        MeasureValue(
            measure_type=row.measure_type,
            group_type=row.group_type,
            measure_value=row.measure_value,
            numerator=row.numerator,
            denominator=row.denominator,
            is_change_on_previous=row.measure_name.startswith(CHANGE_ON_PREVIOUS_PREFIX),
        )
    )
    is_kpi = row.source == "kpi_return"
    values = {
        "REPORTING_PERIOD_START": _iso(row.reporting_period_start),
        "REPORTING_PERIOD_END": _iso(row.reporting_period_end),
        "STATUS": row.status,
        "GROUP_TYPE": row.group_type,
        "ORG_CODE1": row.org_code1,
        "ORG_NAME1": row.org_name1,
        "ORG_CODE2": row.org_code2,
        "ORG_NAME2": row.org_name2,
        "BREAKDOWN": KPI_RETURN_BREAKDOWN if is_kpi else row.breakdown,
        "BREAKDOWN_VALUE": row.breakdown_value,
        "MEASURE_ID": row.measure_id,
        "MEASURE_NAME": row.measure_name,
        "MEASURE_VALUE": value,
    }
    return PublishedRow(
        values=values, period_type=row.period_type, source=row.source, source_row=row
    )


def publish_rows(rows: Iterable[SourceRow]) -> list[PublishedRow]:
    published = [publish_row(r) for r in rows]
    seen: set[tuple[str, ...]] = set()
    for row in published:
        if row.key in seen:
            raise ValueError(f"duplicate published key {row.key}")
        seen.add(row.key)
    return published


def write_csv(rows: Sequence[PublishedRow], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.values for r in rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
