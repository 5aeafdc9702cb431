"""End to end on a clean generated set: generator -> dbt -> data quality -> publication.

- England values in `marts.measures` agree with an independent calculation done here in
  plain Python over the generated raw CSV files (the input contract's selection rules
  and measures.md's definitions, written again from the spec, sharing no code or table
  with the warehouse).
- With `--fault-rate 0` the data-quality statement reports no problem.
- Changing one raw file and publishing again gives v2 whose revisions are exactly the
  values the change moves, both for the latest month's release (England series) and
  for the corrected month's own release (`--as-at` that month, as in practice).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from iapt_tools.data_quality_statement import write_data_quality_statement
from iapt_tools.publication.release import publish
from test_ingest_support import PROJECT_ROOT, run_dbt

GENERATOR_ARGS = [
    "--start", "2013-04", "--months", "6", "--referrals", "1500", "--providers", "4",
    "--seed", "11", "--refresh-rate", "0.4", "--fault-rate", "0",
]  # fmt: skip
MODELS_AND_SEEDS = ["build", "--resource-type", "seed", "--resource-type", "model"]
FIRST_MONTH = date(2013, 4, 1)
ATTENDED = {"5", "6"}
TREATMENT_TYPES = {"02", "03", "05"}


@dataclass
class Built:
    raw: Path
    work: Path
    warehouse: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("e2e")
    raw = work / "raw"
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "generate_data.py"), "--out", str(raw),
         *GENERATOR_ARGS],
        check=True, capture_output=True,
    )  # fmt: skip
    run = run_dbt(MODELS_AND_SEEDS, raw, work)  # the tests run in the main build
    assert run.returncode == 0, run.output[-4000:]
    return Built(raw, work, run.warehouse)


# --- an independent reading of the raw files --------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _used_submissions(raw: Path) -> dict[Path, dict[str, str]]:
    """Input contract rule 2: per provider and month, Refresh beats Primary, then the
    latest SubmittedAt, then the highest UniqueSubmissionID."""
    best: dict[tuple[str, str], tuple[tuple, Path, dict[str, str]]] = {}
    for header_file in (raw / "iapt_v2").rglob("IDS000_Header.csv"):
        (header,) = _rows(header_file)
        rank = (
            header["FileType"] == "Refresh",
            header["SubmittedAt"],
            int(header["UniqueSubmissionID"]),
        )
        key = (header["OrgIDProv"], header["ReportingPeriodStartDate"])
        if key not in best or rank > best[key][0]:
            best[key] = (rank, header_file.parent, header)
    return {folder: header for _, folder, header in best.values()}


def _independent_england(raw: Path) -> dict[tuple[str, date], int]:
    """(measure_id, month start) -> England count, for a handful of measures."""
    used = _used_submissions(raw)
    as_at_end = max(date.fromisoformat(h["ReportingPeriodEndDate"]) for h in used.values())

    # Rule 3: a referral's state from the latest used month holding it (then highest id).
    referrals: dict[str, tuple[tuple, dict[str, str]]] = {}
    contacts: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for folder, header in used.items():
        month = header["ReportingPeriodStartDate"]
        rank = (month, int(header["UniqueSubmissionID"]))
        for row in _rows(folder / "IDS101_Referral.csv"):
            if row["PathwayID"] not in referrals or rank > referrals[row["PathwayID"]][0]:
                referrals[row["PathwayID"]] = (rank, row)
        # Rules 4-5: in-period contacts; the later month wins for the same contact.
        start, end = month, header["ReportingPeriodEndDate"]
        for row in _rows(folder / "IDS201_CareContact.csv"):
            if not start <= row["CareContDate"] <= end:
                continue
            key = (header["OrgIDProv"], row["CareContactId"])
            if key not in contacts or month > contacts[key][0]:
                contacts[key] = (month, row)

    treatment_dates: dict[str, list[date]] = defaultdict(list)
    counts: dict[tuple[str, date], int] = defaultdict(int)
    for _, row in contacts.values():
        contact_month = _day(row["CareContDate"]).replace(day=1)
        counts[("M082", contact_month)] += 1
        counts[("M084", contact_month)] += row["AttendOrDNACode"] == "3"
        counts[("M086", contact_month)] += row["AttendOrDNACode"] == "5"
        if row["AttendOrDNACode"] in ATTENDED and row["AppType"] in TREATMENT_TYPES:
            treatment_dates[row["PathwayID"]].append(_day(row["CareContDate"]))

    for pathway, (_, row) in referrals.items():
        referred = _day(row["ReferralRequestReceivedDate"])
        discharged = _day(row["ServDischDate"])
        if discharged is not None and discharged < referred:
            discharged = None  # flagged, treated as open
        window_end = discharged or as_at_end
        treatments = sorted(d for d in treatment_dates[pathway] if referred <= d <= window_end)
        counts[("M001", referred.replace(day=1))] += 1
        counts[("M002", referred.replace(day=1))] += row["SourceOfReferralIAPT"] == "B1"
        counts[("M003", referred.replace(day=1))] += row["SourceOfReferralIAPT"] == "A1"
        if treatments:
            counts[("M031", treatments[0].replace(day=1))] += 1
        if discharged is not None:
            counts[("M056", discharged.replace(day=1))] += 1
            counts[("M076", discharged.replace(day=1))] += len(treatments) >= 2
    return counts


def _england_months(warehouse: Path, measure_ids: list[str]) -> dict[tuple[str, date], float]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select measure_id, reporting_period_start, measure_value from marts.measures"
            " where source = 'record_level' and period_type = 'month' and group_type = 'England'"
            " and breakdown = 'Total' and measure_id in (select unnest(?))",
            [measure_ids],
        ).fetchall()
    finally:
        con.close()
    return {(m, start): value for m, start, value in rows}


def test_england_values_match_an_independent_calculation(built: Built) -> None:
    measure_ids = ["M001", "M002", "M003", "M031", "M056", "M076", "M082", "M084", "M086"]
    expected = _independent_england(built.raw)
    warehouse = _england_months(built.warehouse, measure_ids)
    months = sorted({start for _, start in warehouse})
    assert len(months) == 6
    compared = 0
    for measure_id in measure_ids:
        for month in months:
            assert warehouse[(measure_id, month)] == expected.get((measure_id, month), 0), (
                measure_id,
                month,
            )
            compared += 1
    assert compared == 54
    assert sum(expected[("M001", m)] for m in months) > 500  # the check is not vacuous


def test_clean_data_statement_reports_no_problem(built: Built, tmp_path: Path) -> None:
    md = write_data_quality_statement(built.warehouse, tmp_path)[0].read_text()
    assert "No problems found" in md
    assert "No rows were rejected." in md


def _gp_referral(raw: Path) -> tuple[str, date]:
    """One GP referral (A1) in the generated months: its pathway and referral month."""
    for path in sorted((raw / "iapt_v2").rglob("IDS101_Referral.csv")):
        for row in _rows(path):
            referred = _day(row["ReferralRequestReceivedDate"])
            if row["SourceOfReferralIAPT"] == "A1" and referred >= FIRST_MONTH:
                return row["PathwayID"], referred.replace(day=1)
    raise AssertionError("no GP referral in the generated data")


def _make_self_referral(raw: Path, pathway: str) -> None:
    """Turn the referral into a self-referral (B1) in every raw file holding it."""
    for path in (raw / "iapt_v2").rglob("IDS101_Referral.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        if any(r["PathwayID"] == pathway for r in rows):
            for r in rows:
                if r["PathwayID"] == pathway:
                    r["SourceOfReferralIAPT"] = "B1"
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)


def test_changed_raw_file_gives_v2_with_exactly_the_changed_values(built: Built) -> None:
    output = built.work / "output"
    first = publish(built.warehouse, output)
    assert first.version == 1
    pathway, month = _gp_referral(built.raw)
    as_at = month.strftime("%Y-%m")
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    month_key_end = date.fromordinal(next_month.toordinal() - 1).isoformat()
    # The release of the corrected month itself (it carries every level for that month):
    # publish writes only the month the warehouse is built for, so build it as at it.
    month_build = [*MODELS_AND_SEEDS, "--vars", f"{{as_at_month: '{as_at}'}}"]
    run = run_dbt(month_build, built.raw, built.work)
    assert run.returncode == 0, run.output[-4000:]
    month_first = publish(built.warehouse, output, as_at=as_at)
    assert month_first.version == 1 and month_first.folder.parent.name == as_at
    _make_self_referral(built.raw, pathway)
    run = run_dbt(month_build, built.raw, built.work)  # re-reads changed files only
    assert run.returncode == 0, run.output[-4000:]

    # The correction as published in practice: the month's own release, version 2.
    month_second = publish(built.warehouse, output, as_at=as_at, reason="Source corrected")
    assert month_second.version == 2 and month_second.folder.parent.name == as_at
    with (month_second.folder / "revisions.csv").open(newline="", encoding="utf-8") as f:
        month_revisions = list(csv.DictReader(f))
    assert {r["MEASURE_ID"] for r in month_revisions} == {"M002", "M003"}
    assert {r["CHANGE"] for r in month_revisions} == {"changed"}  # same scope: none removed
    england_month = {
        r["MEASURE_ID"]: r["DIFFERENCE"]
        for r in month_revisions
        if r["GROUP_TYPE"] == "England"
        and (r["REPORTING_PERIOD_START"], r["REPORTING_PERIOD_END"])
        == (month.isoformat(), month_key_end)
    }
    assert england_month == {"M002": "1", "M003": "-1"}

    # Back to the latest month: its v2 shows the change in every period containing it.
    run = run_dbt(MODELS_AND_SEEDS, built.raw, built.work)
    assert run.returncode == 0, run.output[-4000:]
    second = publish(built.warehouse, output, reason="Source of referral corrected")
    assert second.version == 2
    with (second.folder / "revisions.csv").open(newline="", encoding="utf-8") as f:
        revisions = list(csv.DictReader(f))
    # Only the self- and GP-referral counts can move; England shows both, unrounded.
    assert {r["MEASURE_ID"] for r in revisions} == {"M002", "M003"}
    england = {
        (r["MEASURE_ID"], r["REPORTING_PERIOD_START"], r["REPORTING_PERIOD_END"]): r["DIFFERENCE"]
        for r in revisions
        if r["GROUP_TYPE"] == "England"
    }
    assert england[("M002", month.isoformat(), month_key_end)] == "1"
    assert england[("M003", month.isoformat(), month_key_end)] == "-1"
    # Every England revision is +1 on M002 or -1 on M003 (its month, quarter or year).
    assert {(m, d) for (m, _, _), d in england.items()} == {("M002", "1"), ("M003", "-1")}
