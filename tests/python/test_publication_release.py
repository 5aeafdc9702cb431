"""End-to-end publication tests on a synthetic warehouse: every published file obeys the
disclosure rules, England counts equal marts.measures, every number in the summary
traces to measures.csv, versions are immutable and atomic, the manifest is complete."""

from __future__ import annotations

import csv
import hashlib
import html
import itertools
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from iapt_tools.document import render
from iapt_tools.publication import release
from iapt_tools.publication.versioning import PublicationError
from test_publication_support import build_warehouse, expected_in_scope, measure_rows

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NATIONAL_COLUMNS = [
    "REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "STATUS", "GROUP_TYPE", "ORG_CODE1",
    "ORG_NAME1", "ORG_CODE2", "ORG_NAME2", "BREAKDOWN", "BREAKDOWN_VALUE", "MEASURE_ID",
    "MEASURE_NAME", "MEASURE_VALUE",
]  # fmt: skip
KEY = ["REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "GROUP_TYPE", "ORG_CODE1", "ORG_CODE2",
       "BREAKDOWN", "BREAKDOWN_VALUE", "MEASURE_ID"]  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("pub")
    warehouse = build_warehouse(root / "warehouse.duckdb")
    out = root / "output"
    result = release.publish(warehouse, out, None, None, PROJECT_ROOT)
    return {"warehouse": warehouse, "out": out, "release": result, "folder": result.folder}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_index(warehouse: Path) -> dict[tuple, dict]:
    """marts.measures by published key (KPI rows carry BREAKDOWN 'KPI return')."""
    con = duckdb.connect(str(warehouse), read_only=True)
    cursor = con.execute(
        "select m.*, c.measure_type from marts.measures m "
        "join reference.measure_catalogue c using (measure_id)"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    con.close()
    index = {}
    for r in rows:
        breakdown = "KPI return" if r["source"] == "kpi_return" else r["breakdown"]
        key = (r["reporting_period_start"].isoformat(), r["reporting_period_end"].isoformat(),
               r["group_type"], r["org_code1"], r["org_code2"], breakdown, r["breakdown_value"],
               r["measure_id"])  # fmt: skip
        index[key] = r
    return index


def check_disclosed(rows: list[dict[str, str]], raw: dict[tuple, dict]) -> int:
    """Assert the section 4 rules on every row, from the raw values; returns rows checked."""
    for row in rows:
        r = raw[tuple(row[k] for k in KEY)]
        value, england = row["MEASURE_VALUE"], row["GROUP_TYPE"] == "England"
        num, den, raw_value = r["numerator"], r["denominator"], r["measure_value"]
        where = f"{row}"
        if r["measure_type"] == "count":
            if raw_value is None:
                assert value == "", where
            elif england:
                assert value == str(int(raw_value)), where
            elif raw_value < 5 and raw_value != 0:
                assert value == "*", where
            elif value != "*":  # else a secondary suppression (test_publication_differencing)
                assert raw_value != 0 or value == "0", where
                assert raw_value == 0 or (int(value) % 5 == 0 and int(value) >= 5), where
                assert abs(int(value) - raw_value) <= 2, where
            if not england and value not in ("*", ""):
                assert not 1 <= int(value) <= 4 and int(value) % 5 == 0, where
        elif r["measure_type"] == "percentage":
            is_change = r["measure_name"].startswith("Percentage_ChangeOnPrevious")
            if num is None or den is None:
                assert value == ("" if raw_value is None else "*"), where
                continue
            small = (den < 5 or den + num < 5) if is_change else (num < 5 or den < 5)
            if small:
                assert value == "*", where
                continue
            exact = 100 * num / den
            if england:
                assert re.fullmatch(r"-?\d+\.\d", value), where
                assert abs(float(value) - exact) <= 0.05 + 1e-9, where
            else:
                assert re.fullmatch(r"-?\d+", value), where
                assert abs(int(value) - exact) <= 0.5 + 1e-9, where
        else:  # mean, median
            if den is None or den < 5:
                assert value in ("*", ""), where
                assert value == "*" or (den is None and raw_value is None), where
            elif r["measure_type"] == "median":  # whole days
                assert re.fullmatch(r"\d+", value), where
                assert abs(int(value) - raw_value) <= 0.5 + 1e-9, where
            else:
                assert re.fullmatch(r"\d+\.\d", value), where
                assert abs(float(value) - raw_value) <= 0.05 + 1e-9, where
    return len(rows)


def test_measures_csv_layout_and_disclosure(published):
    folder = published["folder"]
    raw = raw_index(published["warehouse"])
    with (folder / "measures.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(NATIONAL_COLUMNS)
    rows = read_csv(folder / "measures.csv")
    # Exactly the marts rows the scope rule selects for as-at June 2013, both sources.
    expected = {k for k, r in raw.items() if expected_in_scope(r, "2013-06")}
    assert {tuple(r[k] for k in KEY) for r in rows} == expected
    assert len(rows) == len(expected)
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["REPORTING_PERIOD_START"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["REPORTING_PERIOD_END"])
    assert check_disclosed(rows, raw) == len(expected)
    assert {r["BREAKDOWN"] for r in rows} >= {"Total", "KPI return", "Age band"}
    assert "*" in {r["MEASURE_VALUE"] for r in rows}


def test_england_counts_equal_marts(published):
    rows = read_csv(published["folder"] / "measures.csv")
    raw = raw_index(published["warehouse"])
    checked = 0
    for row in rows:
        r = raw[tuple(row[k] for k in KEY)]
        if row["GROUP_TYPE"] == "England" and r["measure_type"] == "count":
            assert Decimal(row["MEASURE_VALUE"]) == Decimal(str(r["measure_value"]))
            checked += 1
    assert checked > 50


def _cell_text(cell: object) -> str:
    """The value as displayed: numbers with a 0.0 format to 1 decimal place."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        assert cell.number_format == "yyyy-mm-dd"  # a date, not text
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if cell.number_format == "#,##0.0":
            return f"{value:.1f}"
        assert cell.number_format == "#,##0", cell.number_format  # thousands separators
        return f"{value:g}"
    return str(value)


def test_workbook_sheets_match_csv_and_are_disclosed(published):
    folder = published["folder"]
    raw = raw_index(published["warehouse"])
    csv_rows = read_csv(folder / "measures.csv")
    book = load_workbook(folder / "measures.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    groups = {r["GROUP_TYPE"] for r in csv_rows}
    assert len(book.sheetnames) == len(groups) + 3
    contents = [r[0] for r in book["Contents"].iter_rows(min_row=2, values_only=True)]
    assert contents == book.sheetnames
    cover = " ".join(str(c) for r in book["Cover"].iter_rows(values_only=True) for c in r if c)
    assert "Publication date" in cover and "Contact" in cover and "Statistics status" in cover
    total = 0
    for name in book.sheetnames[3:]:
        sheet_rows = list(book[name].iter_rows())
        assert [c.value for c in sheet_rows[0]] == NATIONAL_COLUMNS
        assert all(isinstance(r[i].value, datetime) for r in sheet_rows[1:] for i in (0, 1))
        rows = [dict(zip(NATIONAL_COLUMNS, map(_cell_text, r), strict=True))
                for r in sheet_rows[1:]]  # fmt: skip
        group = rows[0]["GROUP_TYPE"]
        assert rows == [r for r in csv_rows if r["GROUP_TYPE"] == group]
        total += check_disclosed(rows, raw)
    assert total == len(csv_rows)
    notes = [c for row in book["Notes"].iter_rows(values_only=True) for c in row if c]
    text = " ".join(map(str, notes))
    assert "rounded to the nearest 5" in text and "Provisional" in text and "M192" in text
    full = load_workbook(folder / "measures.xlsx")  # the normal (validating) reader too
    england = full["England"]
    assert england.freeze_panes == "A2" and england["A1"].font.b
    assert england.auto_filter.ref == f"A1:M{england.max_row}"
    assert full.properties.title.startswith("NHS Talking Therapies")


# --- every number in the summary text comes from measures.csv ---------------------------
MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
CONSTANT_PATTERNS = [
    rf"\b({MONTH_NAMES})( \d{{4}})?",
    r"\b(6|18) weeks\b",
    r"\((standard|target) (75|95|50)%\)",
    r"standards of 75% and 95%",
    r"(95|99\.8)% (and 99\.8% )?control limits",
    r"\b[Vv]ersion \d+\b",
    r"\bK101\b",
]
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _allowed_numbers(rows: list[dict[str, str]]) -> set[Decimal]:
    allowed = set()
    series: dict[tuple, list[tuple[str, Decimal]]] = {}
    for r in rows:
        try:
            value = Decimal(r["MEASURE_VALUE"])
        except ArithmeticError:
            continue
        allowed.add(abs(value))
        if r["GROUP_TYPE"] == "England" and r["BREAKDOWN"] in ("Total", "KPI return"):
            length = (r["REPORTING_PERIOD_START"] == r["REPORTING_PERIOD_END"][:8] + "01",)
            key = (r["BREAKDOWN"], r["MEASURE_ID"], r["REPORTING_PERIOD_END"][5:7] == "xx",
                   length, _months(r))  # fmt: skip
            series.setdefault(key, []).append((r["REPORTING_PERIOD_START"], value))
    for points in series.values():
        points.sort()
        for (_, before), (_, after) in itertools.pairwise(points):
            if before:
                change = (after - before) * 100 / before
                allowed.add(abs(change.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")))
    return allowed


def _months(row: dict[str, str]) -> int:
    s, e = row["REPORTING_PERIOD_START"], row["REPORTING_PERIOD_END"]
    return (int(e[:4]) - int(s[:4])) * 12 + int(e[5:7]) - int(s[5:7]) + 1


def _numbers_in(text: str, rows: list[dict[str, str]]) -> list[Decimal]:
    text = _without_furniture_md(text)
    for r in rows:  # organisation names and codes may contain digits
        for column in ("ORG_NAME1", "ORG_NAME2", "ORG_CODE1", "ORG_CODE2"):
            if r[column] not in ("all",):
                text = text.replace(r[column], " ")
    for pattern in CONSTANT_PATTERNS:
        text = re.sub(pattern, " ", text)
    return [abs(Decimal(n.replace(",", ""))) for n in NUMBER.findall(text)]


def _visible_html_text(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _without_furniture_md(md: str) -> str:
    """The release table, coverage and file list are checked by their own tests."""
    md = re.sub(r"\| About this release \|.*?\n\n", " ", md, flags=re.S)
    md = re.sub(r"## Coverage\n.*?(?=\n## )", " ", md, flags=re.S)
    return re.sub(r"## Files in this release\n.*", " ", md, flags=re.S)


def _without_furniture_html(page: str) -> str:
    release_table = r"<table><thead><tr><th>About this release</th>.*?</table>"
    page = re.sub(release_table, " ", page, flags=re.S)
    page = re.sub(r"<h2>Coverage</h2>.*?(?=<h2>)", " ", page, flags=re.S)
    return re.sub(r"<h2>Files in this release</h2>.*", " ", page, flags=re.S)


def test_every_number_in_the_summary_comes_from_measures_csv(published):
    folder = published["folder"]
    rows = read_csv(folder / "measures.csv")
    allowed = _allowed_numbers(rows)
    md = _without_furniture_md((folder / "executive_summary.md").read_text(encoding="utf-8"))
    md = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", md)  # image links repeat the captions
    page = _visible_html_text(
        _without_furniture_html((folder / "executive_summary.html").read_text(encoding="utf-8"))
    )
    for text in (md, page):
        numbers = _numbers_in(text, rows)
        assert len(numbers) > 20
        untraced = [n for n in numbers if n not in allowed]
        assert not untraced, untraced


def test_summary_key_facts_are_the_published_england_values(published):
    folder = published["folder"]
    rows = read_csv(folder / "measures.csv")
    md = (folder / "executive_summary.md").read_text(encoding="utf-8")

    def england(measure: str) -> str:
        return next(
            r["MEASURE_VALUE"] for r in rows
            if r["GROUP_TYPE"] == "England" and r["BREAKDOWN"] == "Total"
            and r["REPORTING_PERIOD_START"] == "2013-06-01"
            and r["REPORTING_PERIOD_END"] == "2013-06-30" and r["MEASURE_ID"] == measure
        )  # fmt: skip

    referrals = int(england("M001"))
    may = next(
        int(r["MEASURE_VALUE"]) for r in rows
        if r["GROUP_TYPE"] == "England" and r["BREAKDOWN"] == "Total"
        and r["REPORTING_PERIOD_END"] == "2013-05-31" and r["MEASURE_ID"] == "M001"
    )  # fmt: skip
    change = round(abs(referrals - may) * 100 / may, 1)
    direction = "up" if referrals > may else "down"
    sentence = f"{referrals:,} referrals were received (people referred), {direction} {change}%"
    assert f"- {sentence} on May 2013." in md
    assert f"The recovery rate was {england('M192')}% (target 50%)" in md
    assert (
        f"{england('M053')}% of people who finished a course of treatment had waited 6 weeks" in md
    )
    assert "Key facts: the quarter April to June 2013" in md
    assert "Quarterly KPI returns: January to March 2013" in md
    assert "response rate" in md


def test_funnel_names_providers_outside_the_limits(published):
    folder = published["folder"]
    md = (folder / "executive_summary.md").read_text(encoding="utf-8")
    assert "99.8% control limits" in md
    named = re.findall(r"\(P0\d, \d+%\)", md)
    assert named, "the synthetic data has providers outside the limits"
    svg = (folder / "charts" / "funnel.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<text" not in svg and "http://www.w3.org/2000/svg" in svg


def test_funnel_limits_hand_worked():
    from iapt_tools.publication.charts import Z95, Z998, funnel_limits

    # p = 0.5, n = 100: sd = 0.05; 95% 0.5 -/+ 0.098; 99.8% 0.5 -/+ 0.1545
    low, high = funnel_limits(0.5, 100, Z95)
    assert round(low, 4) == 0.402 and round(high, 4) == 0.598
    low, high = funnel_limits(0.5, 100, Z998)
    assert round(low, 4) == 0.3455 and round(high, 4) == 0.6545


def test_html_is_self_contained(published):
    page = (published["folder"] / "executive_summary.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 3
    outside_svg = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert not re.search(r"src\s*=", outside_svg, flags=re.I)
    # the only links are to the release's own files, by relative name
    links = re.findall(r'href="([^"]*)"', outside_svg)
    assert links and all(re.fullmatch(r"[a-z0-9_.-]+", link) for link in links), links
    folder = published["folder"]
    assert all((folder / link).is_file() for link in links if link != "manifest.json")
    # every file of the release is linked (charts are inline; the Markdown twin aside)
    files = {p.name for p in folder.iterdir() if p.is_file()}
    assert files - set(links) <= {"executive_summary.html", "executive_summary.md",
                                  "data_quality_statement.md"}, files - set(links)  # fmt: skip
    assert "<script" not in page.lower() and "@import" not in page
    assert not re.search(r"url\((?!#)", page)  # only in-page references such as url(#clip)
    assert "<link" not in outside_svg.lower()


# --- manifest -------------------------------------------------------------------------
def test_manifest(published):
    folder = published["folder"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and "reason" not in manifest
    assert manifest["as_at_month"] == "2013-06"
    assert manifest["status_per_month"]["2013-06"] == "Provisional"
    assert manifest["status_per_month"]["2013-01"] == "Final"
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {"manifest.json"}
    assert {"measures.csv", "measures.xlsx", "executive_summary.md", "executive_summary.html",
            "data_quality_statement.md"} <= files  # fmt: skip
    # the provider x month data-quality CSVs are not disclosure-controlled: not published
    assert not [f for f in files if f.startswith("data_quality_") and f.endswith(".csv")]
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    subs = manifest["submissions"]
    assert subs["used_count"] == 30 and subs["providers"] == ["P01", "P02", "P03", "P04", "P05"]
    assert subs["file_types"] == {"Primary": 5, "Refresh": 25}
    assert subs["not_used_by_reason"] == {"superseded by refresh": 25}
    csv_rows = read_csv(folder / "measures.csv")
    assert manifest["row_counts"]["measures_csv"] == len(csv_rows)
    assert manifest["row_counts"]["suppressed_values"] == sum(
        r["MEASURE_VALUE"] == "*" for r in csv_rows
    )
    assert sum(manifest["row_counts"]["by_group_type"].values()) == len(csv_rows)
    scope = manifest["scope"]
    assert scope["full_detail_period_end_from"] == "2013-05-01"
    assert scope["period_end_to"] == "2013-06-30"
    assert "England Total" in scope["rule"]
    periods = {(p["start"], p["end"], p["source"]): p for p in manifest["periods"]}
    published_periods = {(r["REPORTING_PERIOD_START"], r["REPORTING_PERIOD_END"],
                          "kpi_return" if r["BREAKDOWN"] == "KPI return" else "record_level")
                         for r in csv_rows}  # fmt: skip
    assert set(periods) == published_periods
    assert periods[("2013-04-01", "2013-04-30", "record_level")]["detail"] == "England Total"
    assert periods[("2013-05-01", "2013-05-31", "record_level")]["detail"] == "full"
    assert periods[("2013-04-01", "2013-06-30", "record_level")]["detail"] == "full"
    assert periods[("2013-01-01", "2013-03-31", "record_level")]["detail"] == "England Total"
    assert periods[("2012-04-01", "2012-06-30", "kpi_return")]["detail"] == "full"
    assert periods[("2013-04-01", "2013-04-30", "record_level")]["status"] == "Final"
    # Every month of the England time series has its status.
    assert sorted(manifest["status_per_month"]) == [f"2013-0{m}" for m in range(1, 7)]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=False).stdout.strip()  # fmt: skip
    assert manifest["git_commit"] == (head or "unknown")
    # the build behind the release, as the fixture's marts.dim_build holds it
    build = manifest["build"]
    assert build["as_at_month"] == "2013-06" and build["raw_fingerprint"] == "fingerprint-1"
    assert build["is_synthetic"] is True and build["built_at"] == "2026-12-01T10:00:00"
    assert build["invocation_id"] == "invocation-1" and build["engine"] == "duckdb"


def test_git_commit_unknown_outside_git(tmp_path):
    from iapt_tools.publication.manifest import git_commit

    assert git_commit(tmp_path) == "unknown"


# --- versioning -----------------------------------------------------------------------
def _publish(warehouse: Path, out: Path, reason: str | None = None, as_at: str | None = None):
    return release.publish(warehouse, out, as_at, reason, PROJECT_ROOT)


def test_second_run_without_reason_fails_and_writes_nothing(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    first = _publish(warehouse, tmp_path / "out")
    with pytest.raises(PublicationError, match="--reason"):
        _publish(warehouse, tmp_path / "out")
    assert sorted(p.name for p in first.folder.parent.iterdir()) == ["v1"]


def test_cli_without_reason_is_a_clear_error(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb", built_as_at="2013-05")
    env = {"IAPT_WAREHOUSE": str(warehouse), "IAPT_OUTPUT_DIR": str(tmp_path / "out"),
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    cmd = [sys.executable, str(PROJECT_ROOT / "scripts" / "publish.py"), "--as-at", "2013-05"]
    ok = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "out" / "publications" / "2013-05" / "v1" / "measures.csv").exists()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "--reason" in again.stderr
    rows = read_csv(tmp_path / "out" / "publications" / "2013-05" / "v1" / "measures.csv")
    assert max(r["REPORTING_PERIOD_END"] for r in rows) == "2013-05-31"


def test_unless_published_writes_v1_then_nothing(tmp_path):
    """make run's re-run: the month has a release and no reason is given."""
    warehouse = build_warehouse(tmp_path / "w.duckdb", built_as_at="2013-05")
    env = {"IAPT_WAREHOUSE": str(warehouse), "IAPT_OUTPUT_DIR": str(tmp_path / "out"),
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    cmd = [sys.executable, str(PROJECT_ROOT / "scripts" / "publish.py"), "--as-at", "2013-05",
           "--unless-published"]  # fmt: skip
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert "nothing written" in again.stdout
    month = tmp_path / "out" / "publications" / "2013-05"
    assert sorted(p.name for p in month.iterdir()) == ["v1"]
    with_reason = subprocess.run([*cmd, "--reason", "corrected"], env=env, capture_output=True,
                                 text=True, check=False)  # fmt: skip
    assert with_reason.returncode == 0, with_reason.stderr
    assert sorted(p.name for p in month.iterdir()) == ["v1", "v2"]


def test_same_inputs_with_reason_give_v2_with_no_revisions(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    _publish(warehouse, tmp_path / "out")
    second = _publish(warehouse, tmp_path / "out", reason="Re-run check")
    assert second.folder.name == "v2" and second.revisions == 0
    revisions = (second.folder / "revisions.csv").read_text(encoding="utf-8").splitlines()
    assert len(revisions) == 1 and revisions[0].startswith("REPORTING_PERIOD_START,")
    manifest = json.loads((second.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reason"] == "Re-run check" and manifest["previous_version"] == 1
    assert "revisions.csv" in manifest["files"]
    md = (second.folder / "executive_summary.md").read_text(encoding="utf-8")
    assert "## Revisions" in md and "0 published values changed" in md
    first_csv = (second.folder.parent / "v1" / "measures.csv").read_bytes()
    assert (second.folder / "measures.csv").read_bytes() == first_csv


def test_changed_value_shows_exactly_in_revisions(tmp_path):
    rows = measure_rows()
    warehouse = build_warehouse(tmp_path / "w.duckdb", rows)
    first = _publish(warehouse, tmp_path / "out")
    # Re-issue with one England count corrected (the past incident: doubled counts).
    target = next(i for i, r in enumerate(rows)
                  if r[5] == "England" and r[12] == "M076" and r[2] == "month"
                  and r[0].month == 3 and r[4] == "record_level" and r[10] == "Total")  # fmt: skip
    old = rows[target][14]
    rows[target] = (*rows[target][:14], old + 7, None, old + 7)
    corrected = build_warehouse(tmp_path / "w2.duckdb", rows)
    second = _publish(corrected, tmp_path / "out", reason="Corrected M076 for March 2013")
    revisions = read_csv(second.folder / "revisions.csv")
    assert revisions == [{
        "REPORTING_PERIOD_START": "2013-03-01", "REPORTING_PERIOD_END": "2013-03-31",
        "GROUP_TYPE": "England", "ORG_CODE1": "all", "ORG_CODE2": "all", "BREAKDOWN": "Total",
        "BREAKDOWN_VALUE": "Total", "MEASURE_ID": "M076",
        "MEASURE_NAME": "Count_FinishedCourseTreatment", "CHANGE": "changed",
        "OLD_VALUE": str(int(old)), "NEW_VALUE": str(int(old) + 7), "DIFFERENCE": "7",
    }]  # fmt: skip
    md = (second.folder / "executive_summary.md").read_text(encoding="utf-8")
    assert "Corrected M076 for March 2013" in md
    assert f"| {int(old)} | {int(old) + 7} | 7 |" in md
    assert (first.folder / "measures.csv").exists()  # v1 untouched


def test_sub_national_change_within_rounding_is_not_a_revision(tmp_path):
    rows = measure_rows()
    warehouse = build_warehouse(tmp_path / "w.duckdb", rows)
    _publish(warehouse, tmp_path / "out")
    # A provider count in the release (the as-at month), not one outside its scope.
    target = next(i for i, r in enumerate(rows)
                  if r[5] == "Provider" and r[12] == "M001" and r[14] and r[14] % 5 == 0
                  and r[14] >= 10 and r[1].month == 6)  # fmt: skip
    value = rows[target][14]
    rows[target] = (*rows[target][:14], value + 1, None, value + 1)
    second = _publish(build_warehouse(tmp_path / "w2.duckdb", rows), tmp_path / "out", "x")
    assert second.revisions == 0  # published values are what is compared


def test_crash_mid_write_leaves_no_version(tmp_path, monkeypatch):
    warehouse = build_warehouse(tmp_path / "w.duckdb")

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash while writing the summary")

    monkeypatch.setattr(render, "to_html", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        _publish(warehouse, tmp_path / "out")
    month = tmp_path / "out" / "publications" / "2013-06"
    assert list(month.iterdir()) == []  # no v1, no temporary folder
    monkeypatch.undo()
    assert _publish(warehouse, tmp_path / "out").folder.name == "v1"


def test_killed_process_leaves_no_version(tmp_path):
    """A hard kill (no cleanup) after some files are written: no v1 appears, and the next
    run writes a complete v1."""
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    out = tmp_path / "out"
    code = f"""
import os, sys
sys.path.insert(0, {str(PROJECT_ROOT / "scripts")!r})
from pathlib import Path
from iapt_tools.document import render
from iapt_tools.publication import release
def die(*a, **k):
    os._exit(9)
render.to_html = die
release.publish(Path({str(warehouse)!r}), Path({str(out)!r}), None, None)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert proc.returncode == 9
    month = out / "publications" / "2013-06"
    leftovers = [p.name for p in month.iterdir()]
    assert leftovers and all(name.startswith(".v1.tmp-") for name in leftovers)
    assert (month / leftovers[0] / "measures.csv").exists()  # it did crash mid-write
    result = _publish(warehouse, out)
    assert result.folder.name == "v1" and (result.folder / "manifest.json").exists()
    # the killed run's temporary folder is gone: its process no longer exists
    assert sorted(p.name for p in month.iterdir()) == ["v1"]


def test_only_stale_temporary_folders_are_removed(tmp_path):
    """A killed publish's folder goes; a running one's (live pid) stays unless untouched
    for a day; other names are never touched."""
    from iapt_tools.publication.versioning import remove_stale_temp_dirs

    month = tmp_path / "2013-06"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        for name in (f".v1.tmp-{live.pid}", f".v2.tmp-{dead.pid}", "v1", ".v3.tmp-x"):
            (month / name).mkdir(parents=True)
        removed = remove_stale_temp_dirs(month)
        assert [p.name for p in removed] == [f".v2.tmp-{dead.pid}"]
        assert sorted(p.name for p in month.iterdir()) == sorted(
            [f".v1.tmp-{live.pid}", "v1", ".v3.tmp-x"]
        )
        two_days_later = (month / f".v1.tmp-{live.pid}").stat().st_mtime + 2 * 24 * 3600
        removed = remove_stale_temp_dirs(month, now=two_days_later)
        assert [p.name for p in removed] == [f".v1.tmp-{live.pid}"]
    finally:
        live.kill()
        live.wait()


def test_as_at_must_be_a_month(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    with pytest.raises(PublicationError, match="YYYY-MM"):
        _publish(warehouse, tmp_path / "out", as_at="2013-6")


def test_workbook_continues_a_group_too_big_for_one_sheet(published, tmp_path):
    from datetime import UTC, datetime

    from iapt_tools.publication import layout, workbook

    con = layout.connect(published["warehouse"])
    layout.create_published(con, layout.Scope("2013-06"))
    path = tmp_path / "small-sheets.xlsx"
    workbook.write_workbook(con, path, title="t", catalogue=[], periods=[],
                            created=datetime.now(UTC), max_rows_per_sheet=100)  # fmt: skip
    con.close()
    book = load_workbook(path, read_only=True)
    provider = [r for r in read_csv(published["folder"] / "measures.csv")
                if r["GROUP_TYPE"] == "Provider"]  # fmt: skip
    sheets = [n for n in book.sheetnames if n.startswith("Provider")]
    assert len(provider) > 200 and sheets[:3] == ["Provider", "Provider (2)", "Provider (3)"]
    assert len(sheets) == -(-len(provider) // 100)
    seen = []
    for name in sheets:
        sheet_rows = list(book[name].iter_rows())
        assert [c.value for c in sheet_rows[0]] == NATIONAL_COLUMNS
        assert all(isinstance(r[i].value, datetime) for r in sheet_rows[1:] for i in (0, 1))
        assert len(sheet_rows) <= 101
        seen += [dict(zip(NATIONAL_COLUMNS, map(_cell_text, r), strict=True))
                 for r in sheet_rows[1:]]  # fmt: skip
    assert seen == provider  # every row once, in order, across the sheets


def test_as_at_after_the_data_is_an_error(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb", built_as_at="2013-07")
    with pytest.raises(ValueError, match="after the latest month"):
        _publish(warehouse, tmp_path / "out", as_at="2013-07")


def test_kpi_returns_only(tmp_path):
    """A warehouse with only the quarterly KPI returns: as-at is the last quarter's end."""
    rows = [r for r in measure_rows() if r[4] == "kpi_return"]
    result = _publish(build_warehouse(tmp_path / "w.duckdb", rows), tmp_path / "out")
    assert result.folder.parent.name == "2013-03"
    md = (result.folder / "executive_summary.md").read_text(encoding="utf-8")
    assert "Quarterly KPI returns: January to March 2013" in md and "Key facts" not in md
    published = read_csv(result.folder / "measures.csv")
    assert {r["BREAKDOWN"] for r in published} == {"KPI return"}
    assert check_disclosed(published, raw_index(tmp_path / "w.duckdb")) == len(rows)
    allowed = _allowed_numbers(published)
    assert all(n in allowed for n in _numbers_in(md, published))


def test_as_at_other_than_the_built_month_is_refused(tmp_path):
    """The warehouse is one as-at picture: publishing another month would mislabel it."""
    warehouse = build_warehouse(tmp_path / "w.duckdb", built_as_at="2013-06")
    with pytest.raises(PublicationError) as error:
        _publish(warehouse, tmp_path / "out", as_at="2013-05")
    message = str(error.value)
    assert "2013-05" in message and "(2013-06)" in message
    assert "make build DBT_ARGS=\"--vars '{as_at_month: 2013-05}'\"" in message
    assert not (tmp_path / "out" / "publications" / "2013-05").exists()


def test_cli_refuses_another_month_with_the_rebuild_command(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    env = {**os.environ, "IAPT_WAREHOUSE": str(warehouse), "IAPT_OUTPUT_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "publish.py"), "--as-at", "2013-04"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "differs from the month the warehouse was built for (2013-06)" in proc.stderr
    assert "as_at_month: 2013-04" in proc.stderr and "Traceback" not in proc.stderr


def test_warehouse_without_dim_build_is_refused(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("drop table marts.dim_build")
    con.close()
    with pytest.raises(PublicationError, match=r"no marts\.dim_build"):
        _publish(warehouse, tmp_path / "out")
