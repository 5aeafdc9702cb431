"""Which rows a release carries (docs/publication.md "Which periods"), publication order,
and revisions compared in DuckDB, all against hand-built expectations."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from iapt_tools.publication import release, versioning
from iapt_tools.publication.layout import Scope
from test_publication_release import _allowed_numbers, _numbers_in
from test_publication_support import build_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SUB_NATIONAL = {"Region", "Commissioner", "Provider", "Commissioner/Provider"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("scope") / "w.duckdb")


def _release_rows(warehouse: Path, out: Path, as_at: str) -> list[dict[str, str]]:
    # publish only writes the month the warehouse was built for: a copy "built" for as_at
    built = out.parent / f"built-{as_at}.duckdb"
    shutil.copy(warehouse, built)
    con = duckdb.connect(str(built))
    con.execute("update marts.dim_build set as_at_month = ?", [as_at])
    con.close()
    result = release.publish(built, out, as_at, None, PROJECT_ROOT)
    return read_csv(result.folder / "measures.csv")


def _periods(rows: list[dict[str, str]], **where: object) -> set[tuple[str, str]]:
    def keep(row: dict[str, str]) -> bool:
        for column, wanted in where.items():
            value = row[column]
            if isinstance(wanted, set | frozenset) and value not in wanted:
                return False
            if isinstance(wanted, str) and value != wanted:
                return False
        return True

    return {(r["REPORTING_PERIOD_START"], r["REPORTING_PERIOD_END"]) for r in rows if keep(r)}


RECORD_LEVEL = {"Total", "Age band"}  # the fixture's record-level breakdowns
JAN, FEB = ("2013-01-01", "2013-01-31"), ("2013-02-01", "2013-02-28")
MAR, APR = ("2013-03-01", "2013-03-31"), ("2013-04-01", "2013-04-30")
MAY, JUN = ("2013-05-01", "2013-05-31"), ("2013-06-01", "2013-06-30")
Q4_1213, Q1_1314 = ("2013-01-01", "2013-03-31"), ("2013-04-01", "2013-06-30")
KPI_QUARTERS = {("2012-04-01", "2012-06-30"), ("2012-07-01", "2012-09-30"),
                ("2012-10-01", "2012-12-31"), ("2013-01-01", "2013-03-31")}  # fmt: skip


def test_scope_as_at_june(warehouse, tmp_path):
    rows = _release_rows(warehouse, tmp_path / "out", "2013-06")
    # Every level and breakdown: June (M), May (M-1) and the quarter ending in June.
    assert _periods(rows, GROUP_TYPE=SUB_NATIONAL, BREAKDOWN=RECORD_LEVEL) == {MAY, JUN, Q1_1314}
    assert _periods(rows, GROUP_TYPE="England", BREAKDOWN="Age band") == {MAY, JUN}
    # April (M-2) is not published below England, nor England's breakdowns ...
    assert not [r for r in rows if r["GROUP_TYPE"] == "Provider"
                and r["REPORTING_PERIOD_START"] == "2013-04-01"
                and r["REPORTING_PERIOD_END"] == "2013-04-30"]  # fmt: skip
    # ... but the England Total time series is complete: every month and quarter.
    england_total = _periods(rows, GROUP_TYPE="England", BREAKDOWN="Total")
    assert england_total == {JAN, FEB, MAR, APR, MAY, JUN, Q4_1213, Q1_1314}
    # KPI returns: every quarter, every level they have.
    assert _periods(rows, BREAKDOWN="KPI return") == KPI_QUARTERS
    kpi_groups = {r["GROUP_TYPE"] for r in rows if r["BREAKDOWN"] == "KPI return"}
    assert kpi_groups == {"England", "Region", "Commissioner"}
    for quarter in KPI_QUARTERS:
        assert {
            r["GROUP_TYPE"]
            for r in rows
            if r["BREAKDOWN"] == "KPI return"
            and (r["REPORTING_PERIOD_START"], r["REPORTING_PERIOD_END"]) == quarter
        } == kpi_groups


def test_scope_as_at_april_takes_the_quarter_ending_in_march(warehouse, tmp_path):
    rows = _release_rows(warehouse, tmp_path / "out", "2013-04")
    md = (tmp_path / "out" / "publications" / "2013-04" / "v1" / "executive_summary.md").read_text(
        encoding="utf-8"
    )
    assert "on March 2013" in md  # change on the previous month, from the England series
    numbers = _numbers_in(md, rows)
    assert len(numbers) > 20 and set(numbers) <= _allowed_numbers(rows)
    # M-1 is March: the January-March quarter ends in it, so it has every level.
    assert _periods(rows, GROUP_TYPE=SUB_NATIONAL, BREAKDOWN=RECORD_LEVEL) == {MAR, APR, Q4_1213}
    assert _periods(rows, GROUP_TYPE="England", BREAKDOWN="Total") == {
        JAN, FEB, MAR, APR, Q4_1213
    }  # fmt: skip
    assert _periods(rows, BREAKDOWN="KPI return") == KPI_QUARTERS
    assert max(r["REPORTING_PERIOD_END"] for r in rows) == "2013-04-30"


def test_scope_as_at_january_reaches_back_into_december(warehouse, tmp_path):
    rows = _release_rows(warehouse, tmp_path / "out", "2013-01")
    assert _periods(rows, GROUP_TYPE=SUB_NATIONAL, BREAKDOWN=RECORD_LEVEL) == {JAN}
    assert _periods(rows, GROUP_TYPE="England", BREAKDOWN="Total") == {JAN}
    # KPI quarters ending by January 2013 (October-December 2012 ends in M-1).
    assert _periods(rows, BREAKDOWN="KPI return") == KPI_QUARTERS - {Q4_1213}


def test_scope_dates_hand_worked():
    assert Scope("2013-06").end == date(2013, 6, 30)
    assert Scope("2013-06").detail_from == date(2013, 5, 1)
    assert Scope("2013-01").detail_from == date(2012, 12, 1)
    assert Scope("2012-03").detail_from == date(2012, 2, 1)
    assert Scope("2012-03").end == date(2012, 3, 31)


def _publication_order(row: dict[str, str]) -> tuple:
    """The documented order, rebuilt from the CSV columns."""
    start, end = row["REPORTING_PERIOD_START"], row["REPORTING_PERIOD_END"]
    months = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1
    groups = ("England", "Region", "Commissioner", "Provider", "Commissioner/Provider")
    return (
        groups.index(row["GROUP_TYPE"]),
        row["BREAKDOWN"] == "KPI return",
        {1: 0, 3: 1, 12: 2}[months],
        start,
        row["ORG_CODE1"],
        row["ORG_CODE2"],
        row["BREAKDOWN"] not in ("Total", "KPI return"),
        row["BREAKDOWN"],
        row["BREAKDOWN_VALUE"],
        row["MEASURE_ID"],
    )


def test_measures_csv_is_in_publication_order(warehouse, tmp_path):
    rows = _release_rows(warehouse, tmp_path / "out", "2013-06")
    assert len(rows) > 1000
    assert [_publication_order(r) for r in rows] == sorted(_publication_order(r) for r in rows)


# --- revisions: old and new measures.csv compared in DuckDB ---------------------------
HEADER = ["REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "STATUS", "GROUP_TYPE",
          "ORG_CODE1", "ORG_NAME1", "ORG_CODE2", "ORG_NAME2", "BREAKDOWN", "BREAKDOWN_VALUE",
          "MEASURE_ID", "MEASURE_NAME", "MEASURE_VALUE"]  # fmt: skip
NAME = 'Ash & Elm, "Birch"'


def _row(group: str, code: str, measure: str, value: str, start: str = "2013-05-01") -> list:
    end = {"2013-05-01": "2013-05-31", "2013-04-01": "2013-06-30"}[start]
    org = ("all", "all", code, NAME) if group == "Provider" else ("all", "all", "all", "all")
    return [start, end, "Final", group, *org, "Total", "Total", measure, f"Name_{measure}", value]


def _write(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_revisions_hand_built(tmp_path):
    old = _write(tmp_path / "old.csv", [
        _row("Provider", "P01", "M001", "15"),        # changed 15 -> 20
        _row("Provider", "P01", "M031", "*"),         # changed * -> 10: no difference
        _row("England", "all", "M192", "47.5"),       # changed 47.5 -> 47.0
        _row("Provider", "P02", "M001", "5"),         # removed
        _row("England", "all", "K101", ""),           # empty both times: not a revision
        _row("England", "all", "M001", "1234"),       # unchanged
        _row("England", "all", "M076", "8", "2013-04-01"),  # changed 8 -> 1 (quarter)
        _row("Provider", "P03", "M192", "40"),        # changed 40 -> empty
    ])  # fmt: skip
    new = _write(tmp_path / "new.csv", [
        _row("England", "all", "M001", "1234"),
        _row("England", "all", "K101", ""),
        _row("Provider", "P01", "M001", "20"),
        _row("Provider", "P01", "M031", "10"),
        _row("England", "all", "M192", "47.0"),
        _row("England", "all", "M076", "1", "2013-04-01"),
        _row("Provider", "P03", "M192", ""),
        _row("Provider", "P04", "M001", "25"),        # added
    ])  # fmt: skip
    con = duckdb.connect()
    count = versioning.write_revisions(con, old, new, tmp_path / "revisions.csv")
    con.close()
    got = read_csv(tmp_path / "revisions.csv")
    assert count == len(got) == 7

    def line(start, end, group, code, measure, change, old_value, new_value, difference):
        return {
            "REPORTING_PERIOD_START": start, "REPORTING_PERIOD_END": end, "GROUP_TYPE": group,
            "ORG_CODE1": "all", "ORG_CODE2": code, "BREAKDOWN": "Total",
            "BREAKDOWN_VALUE": "Total", "MEASURE_ID": measure,
            "MEASURE_NAME": f"Name_{measure}", "CHANGE": change, "OLD_VALUE": old_value,
            "NEW_VALUE": new_value, "DIFFERENCE": difference,
        }  # fmt: skip

    # Sorted by the published key: period start, end, then England before providers.
    assert got == [
        line("2013-04-01", "2013-06-30", "England", "all", "M076", "changed", "8", "1", "-7"),
        line("2013-05-01", "2013-05-31", "England", "all", "M192", "changed", "47.5", "47.0",
             "-0.5"),
        line("2013-05-01", "2013-05-31", "Provider", "P01", "M001", "changed", "15", "20", "5"),
        line("2013-05-01", "2013-05-31", "Provider", "P01", "M031", "changed", "*", "10", ""),
        line("2013-05-01", "2013-05-31", "Provider", "P02", "M001", "removed", "5", "", ""),
        line("2013-05-01", "2013-05-31", "Provider", "P03", "M192", "changed", "40", "", ""),
        line("2013-05-01", "2013-05-31", "Provider", "P04", "M001", "added", "", "25", ""),
    ]  # fmt: skip
