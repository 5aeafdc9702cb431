"""The ingest layer on the hand-built fixture tests/fixtures/raw_ingest (see its README).

One `dbt build` of the ingest selection on the fixture, then assertions on the warehouse;
a second run adds a month to prove the raw layer reads only new files; two more runs
cover an input with no part at all and a missing raw folder.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from test_ingest_support import INGEST_SELECTION, PROJECT_ROOT, DbtRun, run_dbt

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "raw_ingest"
RAT_FEB = "iapt_v2/RAT/2013-02-primary"

# Every rejected data row of the fixture: (file, row, reason), worked out by hand.
EXPECTED_ROW_REJECTIONS = {
    # header with two rows: both header rows and every row of the folder
    ("iapt_v2/BAD/two_headers/IDS000_Header.csv", 1, "bad_header_row_count"),
    ("iapt_v2/BAD/two_headers/IDS000_Header.csv", 2, "bad_header_row_count"),
    ("iapt_v2/BAD/two_headers/IDS101_Referral.csv", 1, "bad_header_row_count"),
    # header file with no data row
    ("iapt_v2/BAD/empty_header/IDS201_CareContact.csv", 1, "bad_header_row_count"),
    # no header file
    ("iapt_v2/BAD/no_header/IDS001_MPI.csv", 1, "missing_header"),
    ("iapt_v2/BAD/no_header/IDS101_Referral.csv", 1, "missing_header"),
    ("iapt_v2/BAD/no_header/IDS101_Referral.csv", 2, "missing_header"),
    # header with an empty DataSetVersion: the header row and its folder's rows
    ("iapt_v2/BAD/header_missing_value/IDS000_Header.csv", 1, "missing_value"),
    ("iapt_v2/BAD/header_missing_value/IDS101_Referral.csv", 1, "missing_value"),
    # IDS603 without its PresCompDate column
    ("iapt_v2/NQ7/2013-01/IDS603_PresentingComplaints.csv", 1, "missing_column"),
    # referrals: bad date, bad age, empty date, empty PathwayID, wrong submission id,
    # PW9 twice
    (f"{RAT_FEB}/IDS101_Referral.csv", 3, "unparseable_value"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 4, "unparseable_value"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 5, "missing_value"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 6, "missing_key"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 7, "submission_id_mismatch"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 9, "duplicate_key"),
    (f"{RAT_FEB}/IDS101_Referral.csv", 10, "duplicate_key"),
    # presenting complaint without its date
    (f"{RAT_FEB}/IDS603_PresentingComplaints.csv", 2, "missing_value"),
    # contacts: PW99 unknown, PW9 rejected (duplicate), C7 twice, empty id, empty date
    (f"{RAT_FEB}/IDS201_CareContact.csv", 4, "orphan_event"),
    (f"{RAT_FEB}/IDS201_CareContact.csv", 5, "orphan_event"),
    (f"{RAT_FEB}/IDS201_CareContact.csv", 6, "duplicate_key"),
    (f"{RAT_FEB}/IDS201_CareContact.csv", 7, "duplicate_key"),
    (f"{RAT_FEB}/IDS201_CareContact.csv", 8, "missing_key"),
    (f"{RAT_FEB}/IDS201_CareContact.csv", 9, "missing_value"),
    # scores: bad PersScore, PW77 unknown
    (f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv", 3, "unparseable_value"),
    (f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv", 4, "orphan_event"),
    # KPI returns
    ("kpi_returns/kpi_2011_12.csv", 4, "late_resubmission"),
    ("kpi_returns/kpi_2011_12.csv", 6, "unknown_org_code"),
    ("kpi_returns/kpi_2011_12.csv", 7, "unparseable_quarter"),
    ("kpi_returns/kpi_2011_12.csv", 8, "unknown_return_type"),
    ("kpi_returns/kpi_2011_12.csv", 9, "unparseable_value"),
}

BAD_FOLDER_MISSING_FILES = {
    "no_header": ["IDS603_PresentingComplaints", "IDS201_CareContact",
                  "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"],
    "two_headers": ["IDS001_MPI", "IDS603_PresentingComplaints", "IDS201_CareContact",
                    "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"],
    "empty_header": ["IDS001_MPI", "IDS101_Referral", "IDS603_PresentingComplaints",
                     "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"],
    "header_missing_value": ["IDS001_MPI", "IDS603_PresentingComplaints", "IDS201_CareContact",
                             "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"],
}  # fmt: skip


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("ingest")
    shutil.copytree(FIXTURE, work / "raw")
    return work


@pytest.fixture(scope="module")
def built(workdir: Path) -> DbtRun:
    run = run_dbt(["build", "--select", *INGEST_SELECTION], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_every_bad_row_rejected_with_its_reason(built: DbtRun) -> None:
    rows = set(
        built.query(
            "select source_file, source_row_number, reason_code "
            "from marts.fct_raw_row_rejections where source_row_number is not null"
        )
    )
    assert rows == EXPECTED_ROW_REJECTIONS


def test_missing_files_reported_once_each(built: DbtRun) -> None:
    rows = set(
        built.query(
            "select source_file, reason_code from marts.fct_raw_row_rejections "
            "where source_row_number is null"
        )
    )
    expected = {(f"{RAT_FEB}/IDS004_EmpStatus.csv", "missing_file")}
    expected.add(("iapt_v2/BAD/no_header/IDS000_Header.csv", "missing_header"))
    # files rejected whole: a header file with no data row, a 0-byte KPI file
    expected.add(("iapt_v2/BAD/empty_header/IDS000_Header.csv", "empty_file"))
    expected.add(("kpi_returns/empty.csv", "empty_file"))
    for folder, tables in BAD_FOLDER_MISSING_FILES.items():
        expected |= {(f"iapt_v2/BAD/{folder}/{table}.csv", "missing_file") for table in tables}
    assert rows == expected


def test_rejection_reasons_name_the_problem(built: DbtRun) -> None:
    reason = built.scalar(
        "select reason from marts.fct_raw_row_rejections "
        f"where source_file = '{RAT_FEB}/IDS101_Referral.csv' and source_row_number = 3"
    )
    assert "ReferralRequestReceivedDate" in reason
    reason = built.scalar(
        "select reason from marts.fct_raw_row_rejections "
        "where source_file = 'iapt_v2/NQ7/2013-01/IDS603_PresentingComplaints.csv'"
    )
    assert "PresCompDate" in reason


def test_every_file_reconciles(built: DbtRun) -> None:
    files = built.query(
        "select source_file, raw_rows, accepted_rows, rejected_rows, is_reconciled "
        "from marts.fct_raw_file_reconciliation"
    )
    on_disk = {str(path.relative_to(FIXTURE)) for path in FIXTURE.rglob("*.csv")}
    assert on_disk <= {row[0] for row in files}
    assert all(row[4] for row in files)
    referrals = {row[0]: row[1:4] for row in files}[f"{RAT_FEB}/IDS101_Referral.csv"]
    assert referrals == (11, 4, 7)
    assert {row[0]: row[1] for row in files}["kpi_returns/empty.csv"] == 0


def test_the_rest_is_processed(built: DbtRun) -> None:
    pathways = built.query(
        "select pathway_id, provider_code, unique_submission_id "
        "from intermediate.int_referrals_selected order by 1"
    )
    assert pathways == [
        ("PW1", "RAT", 1003),
        ("PW2", "RAT", 1003),
        ("PW8", "RAT", 1003),
        ("PWX", "RAT", 1003),  # also sent by NQ7 in January: the later month wins
        ("PWY", "NQ7", 2004),  # 2003 and 2004 tie on SubmittedAt: the higher id
    ]
    contacts = built.query(
        "select provider_code, care_contact_id, unique_submission_id "
        "from intermediate.int_care_contacts_selected order by 1, 2"
    )
    assert contacts == [
        ("NQ7", "C1", 2001),
        ("RAT", "C1", 1002),  # February's out-of-period re-send does not replace it
        ("RAT", "C2", 1003),  # in period in both months: February wins
        ("RAT", "C3", 1003),
        ("RAT", "C4", 1003),
        ("RAT", "C9", 1003),
    ]
    months = built.query(
        "select reporting_period_start::varchar, status "
        "from intermediate.int_reporting_months_enumerated "
        "order by 1"
    )
    assert months == [("2013-01-01", "Final"), ("2013-02-01", "Provisional")]


def test_flags_are_kept(built: DbtRun) -> None:
    assert built.query(
        "select source_of_referral_validity, is_discharge_before_referral "
        "from staging.stg_iapt_v2__referrals where pathway_id in ('PW8', 'PW2') "
        "and unique_submission_id = 1003 order by pathway_id"
    ) == [("valid", True), ("invalid", False)]
    assert (
        built.scalar(
            "select ethnic_category_validity from staging.stg_iapt_v2__patients "
            "where local_patient_id = 'P3'"
        )
        == "invalid"
    )
    assert built.query(
        "select care_contact_id, is_out_of_period, appointment_type_validity "
        "from staging.stg_iapt_v2__care_contacts where unique_submission_id = 1003 "
        "and (is_out_of_period or appointment_type_validity <> 'valid') order by 1"
    ) == [("C1", True, "valid"), ("C9", False, "invalid")]
    assert built.query(
        "select score, is_score_in_range, is_out_of_period from staging.stg_iapt_v2__coded_scores "
        "where unique_submission_id = 1003 order by score_date, score"
    ) == [(7, True, True), (12, True, False), (30, False, False)]


def test_kpi_selection_and_queries(built: DbtRun) -> None:
    figures = built.query(
        "select quarter_start::varchar, pct_code, figures, return_type, referrals_received "
        "from intermediate.int_kpi_returns_selected order by 1, 2, 3"
    )
    assert figures == [
        ("2011-04-01", "5A3", "Final", "Resubmission", 520),
        ("2011-04-01", "5A3", "Provisional", "Original", 510),
        ("2011-04-01", "5A4", "Final", "Original", 0),  # nil return
        ("2011-04-01", "5A4", "Provisional", "Original", 0),
        ("2011-07-01", "5A3", "Final", "Original", 600),
        ("2011-07-01", "5A3", "Provisional", "Original", 600),
        ("2011-07-01", "5A4", "Final", "Original", 0),
        ("2011-07-01", "5A4", "Provisional", "Original", 0),
    ]
    queries = set(
        built.query(
            "select quarter_start::varchar, pct_code, query_code "
            "from marts.fct_kpi_validation_queries where query_code <> 'missing_return'"
        )
    )
    assert queries == {
        ("2011-04-01", "5A3", "superseded_original"),
        ("2011-07-01", "5A3", "negative_count"),
        ("2011-07-01", "5A3", "recovery_exceeds_eligible"),
        ("2011-07-01", "5A3", "not_at_caseness_exceeds_completed"),
        ("2011-07-01", "5A3", "missing_level_of_need"),
        ("2011-07-01", "5A3", "unknown_count"),
    }
    # 151 reference PCTs, 2 of which returned, in each of the 2 quarters
    assert built.scalar(
        "select count(*) from marts.fct_kpi_validation_queries where query_code = 'missing_return'"
    ) == 2 * (built.scalar("select count(*) from reference.org_pct_2011_12") - 2)


def test_adding_a_month_reads_only_the_new_files(built: DbtRun, workdir: Path) -> None:
    new = workdir / "raw" / "iapt_v2" / "NQ7" / "2013-03"
    shutil.copytree(workdir / "raw" / "iapt_v2" / "NQ7" / "2013-02-c", new)
    for path in new.glob("*.csv"):
        text = path.read_text().replace("2004,", "2005,")
        path.write_text(text.replace("2013-02-01,2013-02-28", "2013-03-01,2013-03-31"))
    before = built.scalar("select count(*) from staging.base_iapt_v2__referrals")
    run = run_dbt(["run", "--select", "path:models/staging"], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    # only the new submission folder is read, one file per table
    assert "raw_iapt_v2__referrals: reading 1 IDS101_Referral file(s)" in run.output
    # its care contact file has a header only: nothing to read
    assert "raw_iapt_v2__care_contacts: no new IDS201_CareContact file to read" in run.output
    assert run.scalar("select count(*) from staging.base_iapt_v2__referrals") == before + 1
    assert (
        run.scalar(
            "select count(*) from staging.base_iapt_v2__referrals "
            "where source_file = 'iapt_v2/NQ7/2013-03/IDS101_Referral.csv'"
        )
        == 1
    )


def test_changing_a_file_rereads_its_whole_folder(built: DbtRun, workdir: Path) -> None:
    """A changed referral file can change which rows of the folder are accepted, so every
    file of the folder is read again, and only that folder's."""
    folder = workdir / "raw" / "iapt_v2" / "NQ7" / "2013-02-c"
    referrals = folder / "IDS101_Referral.csv"
    header, row = referrals.read_text().splitlines()
    referrals.write_text(f"{header}\n{row}\n{row}\n")  # the referral sent twice
    run = run_dbt(["run", "--select", "path:models/staging"], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    for table in ("IDS000_Header", "IDS001_MPI", "IDS101_Referral"):
        assert f": reading 1 {table} file(s)" in run.output
    for model in ("base_iapt_v2__headers", "base_iapt_v2__patients", "base_iapt_v2__referrals"):
        stale = run.scalar(
            f"select count(*) from staging.{model} as loaded "
            "where not exists (select 1 from staging.raw_file_inventory as inventory "
            "where inventory.submission_folder = loaded.submission_folder "
            "and inventory.folder_signature = loaded.folder_signature)"
        )
        assert stale == 0
    reasons = run.query(
        "select source_row_number, rejection_reason_code from staging.base_iapt_v2__referrals "
        "where source_file = 'iapt_v2/NQ7/2013-02-c/IDS101_Referral.csv' order by 1"
    )
    assert reasons == [(1, "duplicate_key"), (2, "duplicate_key")]


def test_removing_a_folder_drops_its_rows(built: DbtRun, workdir: Path) -> None:
    folder = workdir / "raw" / "iapt_v2" / "NQ7" / "2013-02-c"
    assert (
        built.scalar(
            "select count(*) from staging.base_iapt_v2__headers "
            "where submission_folder = 'iapt_v2/NQ7/2013-02-c'"
        )
        == 1
    )
    shutil.rmtree(folder)
    run = run_dbt(["run", "--select", "path:models/staging"], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    assert "raw_iapt_v2__referrals: no new IDS101_Referral file to read" in run.output
    for model in ("base_iapt_v2__headers", "base_iapt_v2__referrals", "base_iapt_v2__patients"):
        assert (
            run.scalar(
                f"select count(*) from staging.{model} "
                "where submission_folder = 'iapt_v2/NQ7/2013-02-c'"
            )
            == 0
        )


def test_no_part_present_builds_empty(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "README.md").write_text("no data yet\n")
    run = run_dbt(["build", "--select", *INGEST_SELECTION], raw, tmp_path)
    assert run.returncode == 0, run.output[-4000:]
    assert "iapt_v2 is absent or empty" in run.output
    assert "kpi_returns is absent or empty" in run.output
    for relation in [
        "staging.stg_iapt_v2__referrals",
        "staging.stg_kpi_returns__quarterly_returns",
        "intermediate.int_referrals_selected",
        "intermediate.int_kpi_returns_selected",
        "marts.fct_raw_row_rejections",
    ]:
        assert run.scalar(f"select count(*) from {relation}") == 0, relation


def test_missing_raw_folder_fails_with_one_clear_message(tmp_path: Path) -> None:
    raw = tmp_path / "no_such_folder"
    run = run_dbt(["build", "--select", "raw_file_inventory"], raw, tmp_path)
    assert run.returncode != 0
    assert "No raw input" in run.output
    assert str(raw) in run.output
    assert "Traceback" not in run.output


# ---- the end-of-build summary and IAPT_MAX_REJECTED_SHARE (macros/ingest/build_summary.sql)
def _data_rows(path: Path) -> int:
    """Data lines of a fixture file, counted here (every fixture row is one line)."""
    return sum(1 for line in path.read_text(encoding="utf-8-sig").splitlines()[1:] if line)


def test_build_ends_with_a_summary_of_the_raw_input(built: DbtRun) -> None:
    files = sorted(p for p in FIXTURE.rglob("*.csv"))
    rows = sum(_data_rows(p) for p in files)
    rejected = len(EXPECTED_ROW_REJECTIONS)
    summary = built.output[built.output.index("Build summary") :]
    assert f": {len(files)} file(s) read, {rows} row(s): {rows - rejected} accepted, " in summary
    assert f"{rejected} rejected." in summary
    by_reason = Counter(reason for _file, _row, reason in EXPECTED_ROW_REJECTIONS)
    line = next(s for s in summary.splitlines() if "rows rejected by reason:" in s)
    reported = dict(item.rsplit(" ", 1) for item in line.split(": ", 1)[1].split(", "))
    assert {k: int(v) for k, v in reported.items()} == dict(by_reason)
    # the files of test_missing_files_reported_once_each: RAT's February IDS004 and the
    # bad folders' absent files, the two files rejected whole, the folder without header
    missing = sum(len(v) for v in BAD_FOLDER_MISSING_FILES.values()) + 1
    assert (
        f"files rejected or missing by reason: missing_file {missing}, empty_file 2,"
        " missing_header 1\n"
    ) in summary
    # NQ7 2013-02 has three Primaries (one used), RAT 2013-01 a Refresh over a Primary
    assert "submission folders superseded: " in summary


def test_rejected_share_threshold_fails_naming_the_files(built: DbtRun, workdir: Path) -> None:
    share = 0.5
    rejected = Counter(file for file, _row, _reason in EXPECTED_ROW_REJECTIONS)
    over = sorted(f for f, n in rejected.items() if n > share * _data_rows(FIXTURE / f))
    assert over  # the fixture has files rejected whole
    select = ["run", "--select", "raw_build_context"]
    run = run_dbt(select, workdir / "raw", workdir, {"IAPT_MAX_REJECTED_SHARE": str(share)})
    assert run.returncode != 0
    message = next(s for s in run.output.splitlines() if "IAPT_MAX_REJECTED_SHARE=0.5" in s)
    assert f"{len(over)} file(s): " in message
    named = re.findall(r"((?:iapt_v2|kpi_returns)/\S+\.csv) \(", message)
    assert named == over
    assert "whole input" not in message  # far less than half of all rows is rejected
    assert "Traceback" not in run.output and "keyboard interrupt" not in run.output
    ok = run_dbt(select, workdir / "raw", workdir, {"IAPT_MAX_REJECTED_SHARE": "1"})
    assert ok.returncode == 0, ok.output[-3000:]
    bad = run_dbt(select, workdir / "raw", workdir, {"IAPT_MAX_REJECTED_SHARE": "5%"})
    assert bad.returncode != 0 and "must be a share between 0 and 1" in bad.output
