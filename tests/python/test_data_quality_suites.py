"""The committed expectation suites are generated from the seeds and are up to date."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

from iapt_tools.data_quality.check_table import CheckRow, check_table
from iapt_tools.data_quality.checks import SUITES, CheckTableError, all_checks, compile_row
from iapt_tools.data_quality.code_lists import load_code_lists
from iapt_tools.data_quality.suites import EXPECTATIONS_DIR, render, suite_dicts
from iapt_tools.settings import PROJECT_ROOT


def test_committed_suites_are_up_to_date():
    """Re-run scripts/build_expectation_suites.py when this fails."""
    built = suite_dicts(load_code_lists())
    committed = sorted(p.stem for p in EXPECTATIONS_DIR.glob("*.json"))
    assert committed == sorted(built)
    for name, suite in built.items():
        text = (EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8")
        assert text == render(suite), f"expectations/{name}.json is out of date"


def test_one_suite_per_raw_table():
    tables = {
        json.loads((EXPECTATIONS_DIR / f"{n}.json").read_text())["meta"]["source_table"]
        for n in SUITES
    }
    assert tables == {
        "IDS000_Header",
        "IDS001_MPI",
        "IDS101_Referral",
        "IDS603_PresentingComplaints",
        "IDS201_CareContact",
        "IDS606_CodedScoreAssessment",
        "IDS004_EmpStatus",
        "kpi_returns",
    }


def test_code_lists_come_from_the_seeds():
    """Each code-list expectation holds exactly the codes of its seed CSV."""
    seed_dir = PROJECT_ROOT / "seeds" / "code_lists"

    def seed_codes(name: str) -> list[str]:
        with (seed_dir / f"{name}.csv").open(newline="") as handle:
            return sorted({row["code"] for row in csv.DictReader(handle)})

    suites = {n: json.loads((EXPECTATIONS_DIR / f"{n}.json").read_text()) for n in SUITES}
    value_sets = {
        e["meta"]["check_id"]: e["kwargs"].get("value_set")
        for s in suites.values()
        for e in s["expectations"]
    }
    assert value_sets["p_ethnic_category"] == seed_codes("code_ethnic_category")
    assert value_sets["cc_attendance_code"] == seed_codes("code_attendance")
    assert value_sets["e_ssp_indicator"] == seed_codes("code_indicator")
    assert "Z" in value_sets["p_ethnic_category"] and "99" in value_sets["p_ethnic_category"]
    assert "01" in value_sets["cc_appointment_type"]  # leading zeros kept


def test_score_ranges_come_from_code_questionnaire():
    suite = json.loads((EXPECTATIONS_DIR / "ids606_coded_score_assessment.json").read_text())
    ranges = {
        e["meta"]["questionnaire_code"]: (e["kwargs"]["min_value"], e["kwargs"]["max_value"])
        for e in suite["expectations"]
        if e["meta"]["check_type"] == "range"
    }
    assert ranges["720433000"] == (0, 27)  # PHQ-9
    assert ranges["445455005"] == (0, 21)  # GAD-7
    with (PROJECT_ROOT / "seeds/code_lists/code_questionnaire.csv").open() as handle:
        assert set(ranges) == {row["code"] for row in csv.DictReader(handle)}


def test_check_ids_are_unique_and_suites_known():
    checks = all_checks(load_code_lists())
    assert len({c.check_id for c in checks}) == len(checks)
    assert {c.suite for c in checks} == set(SUITES)


def _row(**changes) -> CheckRow:
    """A well-formed row of the table (the ethnic category code list), changed."""
    row = next(r for r in check_table(load_code_lists()) if r.check_id == "p_ethnic_category")
    return replace(row, **changes)


def test_a_well_formed_row_compiles():
    check = compile_row(_row(), load_code_lists())
    assert check.value_columns == ("p_ethnic_category",)
    assert check.expectations[0][0] == "expect_column_values_to_be_in_set"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "in_code_lists"}, "unknown kind 'in_code_lists'; the kinds are in_code_list"),
        ({"params": {"column": "ethnic_category"}}, "missing parameter(s) codes"),
        ({"kind": "in_range"}, "unknown parameter(s) codes; in_range takes column,"),
        (
            {"params": {"column": "ethnic_category", "codes": "code_ethnicity"}},
            "codes 'code_ethnicity' is not a code list",
        ),
        ({"params": {"column": "x", "codes": "code_gender", "missing": "blank"}}, "missing needs"),
        ({"suite": "ids999_nothing"}, "unknown suite 'ids999_nothing'"),
        ({"severity": "fatal"}, "severity is critical or warning, not 'fatal'"),
        (
            {"kind": "in_period", "params": {"column": "d", "bound": "middle"}},
            "bound is start or end, not 'middle'",
        ),
    ],
)
def test_a_malformed_row_is_refused_with_a_clear_error(changes, message):
    with pytest.raises(CheckTableError) as refused:
        compile_row(_row(**changes), load_code_lists())
    assert "check table row 'p_ethnic_category'" in str(refused.value)
    assert message in str(refused.value)
