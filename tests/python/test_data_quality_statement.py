"""The data-quality statement's title, coverage section, reporting-month and year-to-date
VODIM, disclosure and plain item names, on a warehouse of hand-made aggregate marts.

Every expected value below is worked out by hand from the rows of the fixture.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import duckdb
import pytest

from dq_marts_support import DQ_MARTS, build_report_models, create_empty_dq_marts
from iapt_tools.data_quality.checks import all_checks
from iapt_tools.data_quality.code_lists import load_code_lists
from iapt_tools.data_quality.items import check_names, load_item_labels
from iapt_tools.data_quality.runner import ExpectationOutcome
from iapt_tools.data_quality_statement import write_data_quality_statement
from iapt_tools.settings import Settings

RELEASE = "NHS Talking Therapies (IAPT) statistics, version 2"
G = ("IDS001_MPI", "gender_code", "code_list")
S = ("IDS101_Referral", "source_of_referral", "code_list")

# fct_data_quality_vodim_ytd: (group, provider, month, FY start, item, month counts,
# year-to-date counts); counts are total, valid, other, default, invalid, missing.
# May 2013 is the reporting month; April + May make its financial year to date; March
# belongs to 2012-13 and must not show (777 rows).
VODIM_YTD = [
    ("Provider", "RAT", "2013-05-01", "2013-04-01", G, (22, 17, 0, 3, 2, 0), (52, 45, 0, 5, 2, 0)),
    ("Provider", "NQ7", "2013-05-01", "2013-04-01", G, (18, 13, 0, 3, 2, 0), (48, 40, 0, 4, 4, 0)),
    ("Provider", "RQX", "2013-05-01", "2013-04-01", G, (4, 3, 0, 0, 0, 1), (4, 3, 0, 0, 0, 1)),
    ("Provider", "RAT", "2013-05-01", "2013-04-01", S, (10, 10, 0, 0, 0, 0), (10, 10, 0, 0, 0, 0)),
    ("Provider", "RAT", "2013-04-01", "2013-04-01", G, (30, 28, 0, 2, 0, 0), (30, 28, 0, 2, 0, 0)),
    ("Provider", "NQ7", "2013-04-01", "2013-04-01", G, (30, 27, 0, 1, 2, 0), (30, 27, 0, 1, 2, 0)),
    ("England", None, "2013-05-01", "2013-04-01", G, (44, 33, 0, 6, 4, 1), (104, 88, 0, 9, 6, 1)),
    ("England", None, "2013-05-01", "2013-04-01", S, (10, 10, 0, 0, 0, 0), (10, 10, 0, 0, 0, 0)),
    ("England", None, "2013-04-01", "2013-04-01", G, (60, 55, 0, 3, 2, 0), (60, 55, 0, 3, 2, 0)),
    ("England", None, "2013-03-01", "2012-04-01", G, (777, 700, 0, 7, 70, 0), (777, 700, 0, 7, 70, 0)),  # noqa: E501
]  # fmt: skip

# fct_submission_coverage: March all 3 submitted; April a Refresh used; May NQ7 missing.
COVERAGE = [
    ("2013-03-01", "2013-03-31", False, 3, 3, 3, 0, 0, 1.0, None),
    ("2013-04-01", "2013-04-30", False, 3, 3, 2, 1, 0, 1.0, None),
    ("2013-05-01", "2013-05-31", True, 3, 2, 2, 0, 1, 0.666667, "NQ7"),
]

# fct_data_quality_completeness: provider, discharge month, finished, paired, problem
# descriptor, valid commissioner.
COMPLETENESS = [
    ("RAT", "2013-05-01", 10, 9, 10, 8),
    ("NQ7", "2013-05-01", 6, 6, 5, 6),
    ("RAT", "2013-04-01", 4, 2, 4, 4),
    ("RAT", "2013-03-01", 50, 0, 0, 0),
]

FAILED_CHECKS = ["p_gender_code", "s_score_445455005", "cc_date_not_after_period"]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    marks = ", ".join("?" for _ in DQ_MARTS[table])
    con.executemany(f"insert into {table} values ({marks})", [list(r) for r in rows])


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    create_empty_dq_marts(con)
    _insert(
        con,
        "marts.fct_data_quality_vodim_ytd",
        [(g, p, m, fy, *item, *c, *y) for g, p, m, fy, item, c, y in VODIM_YTD],
    )
    _insert(con, "marts.fct_submission_coverage", COVERAGE)
    _insert(
        con,
        "marts.fct_data_quality_completeness",
        [(*r, None, None, None) for r in COMPLETENESS],
    )
    con.execute(
        "create table marts.dim_submissions (unique_submission_id bigint, provider_code"
        " varchar, reporting_period_start date, reporting_period_end date, file_type varchar,"
        " submitted_at timestamp, submission_folder varchar, is_used boolean,"
        " selection_reason varchar, superseded_by_submission_id bigint)"
    )
    build_report_models(con)
    con.close()
    return path


def _ge_results(warehouse: Path, out: Path) -> Path:
    """A GE run's result files, by hand: three failed checks."""
    out.mkdir()
    (out / "data_quality_run.json").write_text(
        json.dumps(
            {
                "warehouse": str(warehouse),
                "started_at": "2026-12-02T04:00:00Z",
                "expectations": 61,
                "failed_expectations": len(FAILED_CHECKS),
                "raised_exceptions": 0,
                "critical_problems": 0,
            }
        )
    )
    checks = {c.check_id: c for c in all_checks(load_code_lists())}
    with (out / "data_quality_expectation_results.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ExpectationOutcome.__dataclass_fields__))
        writer.writeheader()
        for check_id in FAILED_CHECKS:
            c = checks[check_id]
            writer.writerow(
                {
                    "suite": c.suite,
                    "check_id": check_id,
                    "source_table": c.source_table,
                    "data_item": c.data_item,
                    "check_type": c.check_type,
                    "severity": c.severity,
                    "expectation_type": "x",
                    "success": False,
                    "raised_exception": False,
                    "element_count": 10,
                    "unexpected_count": 3,
                    "flagged_frame_rows": 3,
                    "flagged_raw_rows": 3,
                    "cross_check": "ok",
                }
            )
    return out


@pytest.fixture
def statement(warehouse: Path, tmp_path: Path) -> tuple[str, str]:
    results = _ge_results(warehouse, tmp_path / "results")
    paths = write_data_quality_statement(
        warehouse, tmp_path / "out", release=RELEASE, results_dir=results
    )
    return paths[0].read_text(), paths[1].read_text()


def _section(md: str, heading: str) -> str:
    return md.split(f"{heading}\n", 1)[1].split("\n## ", 1)[0]


def _rows(md: str, heading: str) -> list[list[str]]:
    """The data rows of the first table after a heading."""
    lines = _section(md, heading).splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("| ")), len(lines))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in table[2:]]


def test_title_names_the_release_and_the_reporting_month(statement) -> None:
    md, page = statement
    title = f"Data quality statement: {RELEASE} — May 2013"
    assert md.splitlines()[0] == f"# {title}"
    assert f"<title>{html.escape(title)}</title>" in page
    assert f"<h1>{html.escape(title)}</h1>" in page


def test_month_defaults_to_the_as_at_month_and_can_be_chosen(warehouse, tmp_path) -> None:
    default = write_data_quality_statement(warehouse, tmp_path / "a")[0].read_text()
    assert default.startswith(
        "# Data quality statement: NHS Talking Therapies (IAPT) statistics — May 2013\n"
    )
    april = write_data_quality_statement(warehouse, tmp_path / "b", month="2013-04")[0].read_text()
    assert april.startswith(
        "# Data quality statement: NHS Talking Therapies (IAPT) statistics — April 2013\n"
    )
    # April is the first month of 2013-14: its year to date is April alone.
    assert _rows(april, "## National picture")[0][:2] == ["Gender (IDS001)", "60"]
    assert _rows(april, "## National picture")[0][7] == "60"  # fmt: skip


def test_coverage_section_has_the_marts_numbers(statement) -> None:
    md, _ = statement
    section = _section(md, "## Submission coverage")
    assert (
        "In May 2013, 2 of the 3 providers expected submitted (66.7%): 2 with a Primary and 0"
        " with a Refresh submission used. Missing: NQ7." in section
    )
    assert _rows(md, "## Submission coverage") == [
        ["May 2013", "3", "2", "2", "0", "1", "66.7%", "NQ7"],
        ["April 2013", "3", "3", "2", "1", "0", "100.0%", ""],
        ["March 2013", "3", "3", "3", "0", "0", "100.0%", ""],
    ]


def test_vodim_is_for_the_reporting_month_with_the_year_to_date_beside_it(statement) -> None:
    md, _ = statement
    rows = _rows(md, "## National picture")
    # England May: 44 rows, 33 valid (75.0%), 0 other (*), 6 default (13.6%), 4 invalid
    # (*: below 5), 1 missing (*). Year to date: 104 rows, 88 valid (84.6%), 9 default
    # (8.7%), 6 invalid (5.8%), 1 missing (*). England counts are not rounded.
    assert rows[0] == [
        "Gender (IDS001)", "44", "75.0%", "*", "13.6%", "*", "*",
        "104", "84.6%", "*", "8.7%", "5.8%", "*",
    ]  # fmt: skip
    assert rows[1] == [
        "Source of referral (IDS101)", "10", "100.0%", "*", "*", "*", "*",
        "10", "100.0%", "*", "*", "*", "*",
    ]  # fmt: skip
    assert len(rows) == 2
    assert "777" not in _section(md, "## National picture")
    assert "April 2013 to May 2013" in _section(md, "## National picture")


def test_completeness_is_for_the_month_and_the_year_to_date(statement) -> None:
    md, _ = statement
    section = _section(md, "### Completeness of finished courses of treatment (M076)")
    assert "| Measure | May 2013 (16 finished) | Year to date (20 finished) |" in section
    # May: 15 of 16 paired (93.75 -> 93.8, half up), 15 of 16 with a problem descriptor,
    # 14 of 16 with a valid commissioner (87.5). Year to date: 17, 19 and 18 of 20.
    assert "| With paired scores (M202) | 93.8% | 85.0% |" in section
    assert "| With a recorded problem descriptor | 93.8% | 95.0% |" in section
    assert "| With a valid commissioner | 87.5% | 90.0% |" in section


def test_providers_below_90_percent_are_disclosure_controlled(statement) -> None:
    md, _ = statement
    # RAT 17 of 22 (77%; 22 rows -> 20), to date 45 of 52 (86.5 -> 87%; 52 -> 50);
    # NQ7 13 of 18 (72%; 18 -> 20), to date 40 of 48 (83%; 48 -> 50); RQX 3 of 4: the
    # count and the percentage are suppressed. RAT's source of referral (100%) is not listed.
    assert _rows(md, "## Providers below 90% valid on a key item") == [
        ["NQ7", "", "Gender (IDS001)", "20", "72%", "50", "83%"],
        ["RAT", "", "Gender (IDS001)", "20", "77%", "50", "87%"],
        ["RQX", "", "Gender (IDS001)", "*", "*", "*", "*"],
    ]


def test_no_expectation_ids_or_column_names_in_the_statement(statement) -> None:
    md, page = statement
    ge = _rows(md, "### Great Expectations results")
    assert [r[:2] for r in ge] == [
        ["Gender (IDS001)", "Is in its code list"],
        ["GAD-7 score (IDS606)", "Lies in 0-21"],
        ["Care contact date in period (IDS201)", "Is on or before the reporting period end"],
    ]
    ids = {c.check_id for c in all_checks(load_code_lists())}
    snake_items = {item for _, item in load_item_labels() if "_" in item}
    for text in (md, page):
        words = set(re.findall(r"[a-z0-9_]+", text))
        assert not words & ids
        assert not words & snake_items


def test_every_check_has_a_plain_name() -> None:
    names = check_names()  # raises on an item missing from seeds/data_quality
    assert set(names) == {c.check_id for c in all_checks(load_code_lists())}
    assert names["s_score_720433000"].item == "PHQ-9 score (IDS606)"
    assert names["k_referrals_received"].item == "Referrals received (KPI return)"


def _md_cells(md: str) -> list[str]:
    cells = []
    for line in md.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells += [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
    return cells


def test_markdown_and_html_carry_the_same_tables_and_text(statement) -> None:
    md, page = statement
    html_cells = [
        html.unescape(c) for c in re.findall(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", page, flags=re.S)
    ]
    assert [c.strip() for c in _md_cells(md)] == html_cells
    headings = re.findall(r"^#+ (.*)$", md, flags=re.M)
    assert headings == [html.unescape(h) for h in re.findall(r"<h[123]>(.*?)</h[123]>", page)]


def test_statement_of_the_test_build_matches_its_coverage_mart(tmp_path) -> None:
    """On the dbt-built test warehouse (`make test` builds it before pytest)."""
    settings = Settings.from_env()
    if not settings.warehouse.exists():
        pytest.fail(f"no dbt-built warehouse at {settings.warehouse}: run `make test-build`")
    md = write_data_quality_statement(settings.warehouse, tmp_path)[0].read_text()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        mart = con.execute(
            "select providers_expected, providers_submitting, providers_primary_used,"
            " providers_refresh_used, providers_missing from marts.fct_submission_coverage"
            " order by reporting_period_start desc limit 12"
        ).fetchall()
        as_at = con.execute(
            "select strftime(reporting_period_start, '%B %Y') from marts.fct_submission_coverage"
            " where is_as_at_month"
        ).fetchone()
    finally:
        con.close()
    assert as_at is not None and md.splitlines()[0].endswith(f" — {as_at[0]}")
    shown = [[int(c.replace(",", "")) for c in r[1:6]] for r in _rows(md, "## Submission coverage")]
    assert shown == [list(r) for r in mart]
