"""The official-layout files of a release: read as the real consumer
bennettoxford/nhstt reads NHS England's monthly CSV (snake-case headers,
measure_value_suppressed -> value, the five official group types of the era, `*` as
missing), disclosure on every file, the summary's key facts against the monthly file,
metadata.json and the release furniture."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from iapt_tools.publication import release, summary
from test_publication_release import PROJECT_ROOT, check_disclosed, raw_index
from test_publication_support import build_warehouse

MONTHLY_HEADER = [
    "REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "GROUP_TYPE", "ORG_CODE1", "ORG_NAME1",
    "ORG_CODE2", "ORG_NAME2", "MEASURE_ID", "MEASURE_NAME", "MEASURE_VALUE_SUPPRESSED",
]  # fmt: skip
# The support warehouse's months (January-June 2013) are in the CCG era.
CCG_ERA_GROUP_TYPES = {"England", "CommissioningRegion", "CCG", "Provider", "CCG/Provider"}
PROJECT_TO_OFFICIAL = {
    "England": "England", "Region": "CommissioningRegion", "Commissioner": "CCG",
    "Provider": "Provider", "Commissioner/Provider": "CCG/Provider",
}  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("official")
    warehouse = build_warehouse(root / "warehouse.duckdb", synthetic=True)
    result = release.publish(warehouse, root / "output", None, None, PROJECT_ROOT)
    return {"warehouse": warehouse, "folder": result.folder}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def snake_case(name: str) -> str:
    """janitor::make_clean_names on these headers: lower case, underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def nhstt_tidy(path: Path, group_types: set[str]) -> list[dict[str, object]]:
    """bennettoxford/nhstt's tidy_monthly_data_config.yml, in Python: clean names,
    rename reporting_period_start/end and measure_value_suppressed, keep the official
    group types, values as numbers (`*` and empty -> missing)."""
    header, rows = read_rows(path)
    rename = {"reporting_period_start": "start_date", "reporting_period_end": "end_date",
              "measure_value_suppressed": "value"}  # fmt: skip
    tidy = []
    for row in rows:
        clean = {rename.get(snake_case(k), snake_case(k)): v for k, v in row.items()}
        if clean["group_type"] not in group_types:
            continue
        value = clean["value"]
        clean["value"] = None if value in ("*", "") else Decimal(str(value))
        tidy.append(clean)
    assert "value" in {rename.get(snake_case(h), snake_case(h)) for h in header}
    return tidy


def monthly_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("monthly_*.csv"))


def test_release_has_the_official_files(published):
    names = sorted(p.name for p in published["folder"].glob("*.csv"))
    # as-at June 2013 (Provisional) and May (Final) in files of their own
    assert "monthly_2013-06_provisional.csv" in names
    assert "monthly_2013-05_final.csv" in names
    assert "quarterly_2013-04_2013-06_provisional.csv" in names
    assert "kpi_returns.csv" in names
    assert "england_monthly_series.csv" in names


def test_monthly_file_is_exactly_the_official_layout(published):
    for path in monthly_files(published["folder"]):
        header, rows = read_rows(path)
        assert header == MONTHLY_HEADER, path.name
        assert rows
        for row in rows:
            # months only, dates YYYY-MM-DD
            start, end = row["REPORTING_PERIOD_START"], row["REPORTING_PERIOD_END"]
            assert re.fullmatch(r"\d{4}-\d\d-01", start) and start[:7] == end[:7], row
            assert row["GROUP_TYPE"] in CCG_ERA_GROUP_TYPES, row
            assert row["MEASURE_ID"].startswith("M"), row  # dictionary ids only
        england = [r for r in rows if r["GROUP_TYPE"] == "England"]
        assert england and all(
            (r["ORG_CODE1"], r["ORG_NAME1"], r["ORG_CODE2"], r["ORG_NAME2"])
            == ("all", "all CCGs", "all", "all Providers")
            for r in england
        )
        providers = [r for r in rows if r["GROUP_TYPE"] == "Provider"]
        assert providers and all(
            r["ORG_CODE1"] == "all" and r["ORG_NAME1"] == "all CCGs" for r in providers
        )
        ccgs = [r for r in rows if r["GROUP_TYPE"] == "CCG"]
        assert ccgs and all(r["ORG_NAME2"] == "all Providers" for r in ccgs)


def test_measure_names_are_the_dictionarys(published):
    dictionary = {}
    with (PROJECT_ROOT / "seeds/publication/official_measure_dictionary.csv").open() as handle:
        for row in csv.DictReader(handle):
            dictionary.setdefault(row["measure_id"], row["measure_name"])
    for path in monthly_files(published["folder"]):
        for row in read_rows(path)[1]:
            assert dictionary[row["MEASURE_ID"]] == row["MEASURE_NAME"], row


def test_nhstt_reads_every_published_value(published):
    """The consumer's rules keep every row and every value; (measure, organisation pair,
    month) is unique."""
    for path in monthly_files(published["folder"]):
        _, raw = read_rows(path)
        tidy = nhstt_tidy(path, CCG_ERA_GROUP_TYPES)
        assert len(tidy) == len(raw), path.name  # no row lost to the group-type filter
        for before, after in zip(raw, tidy, strict=True):
            value = before["MEASURE_VALUE_SUPPRESSED"]
            if value in ("*", ""):
                assert after["value"] is None
            else:
                assert after["value"] == Decimal(value)
        keys = [(r["measure_id"], r["org_code1"], r["org_code2"], r["start_date"]) for r in tidy]
        assert len(keys) == len(set(keys)), path.name


def test_nhstt_drops_rows_of_the_old_layout(published):
    """The check above can fail: the project's own measures.csv loses its values and its
    Region/Commissioner rows to the same rules (issue 14)."""
    path = published["folder"] / "measures.csv"
    header, raw = read_rows(path)
    assert "MEASURE_VALUE_SUPPRESSED" not in header
    tidy = nhstt_tidy_without_value(path)
    assert len(tidy) < len(raw)


def nhstt_tidy_without_value(path: Path) -> list[dict[str, str]]:
    _, rows = read_rows(path)
    return [r for r in rows if r["GROUP_TYPE"] in CCG_ERA_GROUP_TYPES]


def _raw_by_official_key(warehouse: Path) -> dict[tuple, dict]:
    """marts.measures keyed like the national check, reached from an official row."""
    return raw_index(warehouse)


def test_every_official_file_is_disclosed(published):
    """The section 4 rules on every row of every official file (Total rows: a breakdown
    label shared by several values is checked by the quarterly test below)."""
    raw = _raw_by_official_key(published["warehouse"])
    official_to_project = {v: k for k, v in PROJECT_TO_OFFICIAL.items()}
    official_to_project |= {"CCG-Provider": "Commissioner/Provider", "SHA": "Region",
                            "PCT": "Commissioner"}  # fmt: skip
    checked = 0
    for path in sorted(published["folder"].glob("*.csv")):
        header, rows = read_rows(path)
        if "MEASURE_VALUE_SUPPRESSED" not in header:
            continue
        is_kpi = path.name == "kpi_returns.csv"
        national = []
        for row in rows:
            if row.get("VARIABLE_TYPE", "Total") != "Total":
                continue
            national.append(
                {
                    **row,
                    "GROUP_TYPE": official_to_project[row["GROUP_TYPE"]],
                    "BREAKDOWN": "KPI return" if is_kpi else "Total",
                    "BREAKDOWN_VALUE": "Total",
                    "MEASURE_VALUE": row["MEASURE_VALUE_SUPPRESSED"],
                }
            )
        checked += check_disclosed(national, raw)
    assert checked > 500


def test_quarterly_breakdowns_use_the_dictionary_labels(published):
    header, rows = read_rows(published["folder"] / "quarterly_2013-04_2013-06_provisional.csv")
    assert header[7:10] == ["VARIABLE_TYPE", "VARIABLE_A", "VARIABLE_B"]
    assert {r["GROUP_TYPE"] for r in rows} <= {
        "England", "CommissioningRegion", "CCG", "Provider", "CCG-Provider"
    }  # fmt: skip
    assert {r["VARIABLE_TYPE"] for r in rows} == {"Total"}  # the support data: quarter totals


def test_summary_key_facts_come_from_the_monthly_file(published):
    folder = published["folder"]
    _, rows = read_rows(folder / "monthly_2013-06_provisional.csv")

    def england(measure: str) -> str:
        return next(
            r["MEASURE_VALUE_SUPPRESSED"] for r in rows
            if r["GROUP_TYPE"] == "England" and r["MEASURE_ID"] == measure
        )  # fmt: skip

    md = (folder / "executive_summary.md").read_text(encoding="utf-8")
    assert f"- {int(england('M001')):,} referrals were received" in md
    assert f"- {int(england('M031')):,} people entered treatment" in md
    assert f"- {int(england('M076')):,} people finished a course of treatment" in md
    assert f"The recovery rate was {england('M192')}% (target 50%)" in md
    assert f"- {england('M053')}% of people who finished a course of treatment had waited 6" in md


def test_summary_furniture(published):
    folder = published["folder"]
    md = (folder / "executive_summary.md").read_text(encoding="utf-8")
    page = (folder / "executive_summary.html").read_text(encoding="utf-8")
    assert md.startswith("# NHS Talking Therapies (IAPT) statistics, June 2013")
    assert f"> **{summary.SYNTHETIC_BANNER}**" in md
    assert 'class="banner"' in page
    assert "| Publication date | " in md and "| Contact | Contact not configured" in md
    assert "| Statistics status | Synthetic demonstration data" in md
    # coverage per month, from the support warehouse's submissions: five providers each
    # month, Refresh files used for January-May, the Primary for June
    assert "| June 2013 | 5 | 5 | 5 | 0 |" in md
    assert "| May 2013 | 5 | 5 | 0 | 5 |" in md
    # no national provider list in the support warehouse: the access rate is withheld
    assert "The access rate is not stated: 5 providers submitted" in md
    assert "The access rate was" not in md.split("## Quarterly KPI returns")[0]
    assert "not comparable" in md  # the two England series
    # warm-up: the data begin on 1 January 2013; 1 May is 120 days later (< 126, warm-up),
    # 1 June 151 days (not)
    assert "Rates for the first 5 months of data (January to May 2013" in md
    assert "Caution: June 2013" not in md


def test_access_rate_stated_when_every_provider_submitted():
    from datetime import date

    info = summary.ReleaseInfo(
        published=date(2026, 12, 2),
        contact="x",
        statistics_status="s",
        is_synthetic=False,
        coverage=(summary.Coverage(date(2013, 6, 1), 5, 5, 5, 0),),
        national_providers=5,
    )
    assert summary.access_withheld_sentence(info, date(2013, 6, 1), "June 2013") == ""
    partial = summary.ReleaseInfo(**{**info.__dict__, "national_providers": 6})
    assert "5 providers submitted" in summary.access_withheld_sentence(
        partial, date(2013, 6, 1), "June 2013"
    )


def test_unknown_input_gets_a_banner_too():
    from datetime import date

    info = summary.ReleaseInfo(date(2026, 12, 2), "c", "s", None)
    blocks = summary.furniture(info, "June 2013", 1)
    assert blocks[0] == summary.Banner(summary.UNKNOWN_INPUT_BANNER)
    real = summary.furniture(summary.ReleaseInfo(date(2026, 12, 2), "c", "Official", False), "", 1)
    assert not any(isinstance(b, summary.Banner) for b in real)


def test_metadata_file(published):
    folder = published["folder"]
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["as_at_month"] == "2013-06" and meta["synthetic_data"] is True
    listed = {f["file"] for f in meta["files"]}
    assert listed == {p.name for p in folder.glob("*.csv")} - {
        "measures.csv", "data_quality_vodim.csv", "data_quality_completeness.csv",
        "data_quality_issues.csv",
    }  # fmt: skip
    by_id = {m["measure_id"]: m for m in meta["measures"]}
    assert by_id["M192"]["definition_source"].startswith("NHS England measure dictionary")
    assert by_id["K101"]["definition_source"].startswith("project catalogue")
    statuses = {(p["start"], p["source"], p["period_type"]): p["status"] for p in meta["periods"]}
    assert statuses[("2013-06-01", "record_level", "month")] == "Provisional"
    assert statuses[("2013-05-01", "record_level", "month")] == "Final"
    assert any("medians" in rule for rule in meta["disclosure_rules"])
    assert meta["layout"]["group_types_by_era"]["SubICB"] == [
        "CommissioningRegion", "England", "Provider", "SubICB", "SubICB/Provider"
    ]  # fmt: skip


def test_medians_are_whole_days(published):
    for path in monthly_files(published["folder"]):
        for row in read_rows(path)[1]:
            if row["MEASURE_NAME"].startswith("Median_"):
                assert re.fullmatch(r"\d+|\*|", row["MEASURE_VALUE_SUPPRESSED"]), row


def test_breakdown_values_sharing_a_label_are_added_before_disclosure(tmp_path):
    """Age bands 26-35 and 36-45 are both the dictionary's '26 to 64'. Worked by hand:
    referrals 3 + 4 = 7 -> 5 (nearest 5; each alone would be *); recovery 2 of 4 and
    3 of 4 -> 5 of 8 = 62.5% -> 63 (whole, half up; each alone *); mean wait 50 days
    over 5 and 100 over 5 -> 150 / 10 = 15.0; a median (10 of 5, 20 of 5) cannot be
    had from its parts -> empty."""
    from datetime import date

    from test_publication_support import measure_rows

    base = (date(2013, 4, 1), date(2013, 6, 30), "quarter", "Provisional", "record_level",
            "Provider", "all", "all", "P01", "Oak Talking Therapies", "Age band")  # fmt: skip
    extra = []
    for band, referrals, recovered, at_caseness in (("26-35", 3, 2, 4), ("36-45", 4, 3, 4)):
        extra += [
            (*base, band, "M001", "Count_ReferralsReceived", referrals, None, referrals),
            (*base, band, "M192", "Percentage_Recovery", recovered, at_caseness,
             100 * recovered / at_caseness),
            (*base, band, "M048", "Mean_WaitAccessingServices", 50 * referrals - 100, 5,
             (50 * referrals - 100) / 5),
            (*base, band, "M049", "Median_WaitAccessingServices", None, 5, 10 * referrals - 20),
        ]  # fmt: skip
    warehouse = build_warehouse(tmp_path / "w.duckdb", measure_rows() + extra, synthetic=True)
    result = release.publish(warehouse, tmp_path / "out", None, None, PROJECT_ROOT)
    _, rows = read_rows(result.folder / "quarterly_2013-04_2013-06_provisional.csv")
    age = {
        r["MEASURE_ID"]: r["MEASURE_VALUE_SUPPRESSED"] for r in rows
        if r["VARIABLE_TYPE"] == "Age Group" and r["ORG_CODE2"] == "P01"
    }  # fmt: skip
    assert age == {"M001": "5", "M192": "63", "M048": "15.0", "M049": ""}
    assert {r["VARIABLE_A"] for r in rows if r["VARIABLE_TYPE"] == "Age Group"} == {"26 to 64"}
