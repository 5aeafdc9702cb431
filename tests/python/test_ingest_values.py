"""Strict values, header periods and re-delivered folders on the hand-made fixture
tests/fixtures/raw_values (see its README): one `dbt build` of the ingest selection,
then a second build after the first of two same-id folders is removed.

Every expected value below is worked out by hand from the fixture files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_ingest_support import INGEST_SELECTION, PROJECT_ROOT, DbtRun, run_dbt

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "raw_values"
RAT_FEB = "iapt_v2/RAT/2013-02"
QUARTER = "iapt_v2/RAT/2013-q1"
OFFSET = "iapt_v2/RAT/2013-01"
NQ7 = "iapt_v2/NQ7/2013-02"
TABLES = [
    "IDS000_Header", "IDS001_MPI", "IDS101_Referral", "IDS603_PresentingComplaints",
    "IDS201_CareContact", "IDS606_CodedScoreAssessment", "IDS004_EmpStatus",
]  # fmt: skip
# data rows per file of a whole-folder rejection (header first, contract order)
QUARTER_ROWS = [1, 1, 2, 1, 1, 1, 1]
OFFSET_ROWS = [1, 1, 1, 1, 1, 1, 1]
NQ7_COPY_ROWS = [1, 1, 2, 1, 1, 1, 1]
NQ7_RESENT_ROWS = [1, 1, 3, 1, 1, 1, 1]

# (file, data row, reason): data row n is physical line n + 1 (line 1 is the header)
VALUE_REJECTIONS = {
    (f"{RAT_FEB}/IDS101_Referral.csv", 2, "unparseable_value"),  # age 41.0
    (f"{RAT_FEB}/IDS101_Referral.csv", 3, "unparseable_value"),  # age 73.6
    (f"{RAT_FEB}/IDS101_Referral.csv", 4, "unparseable_value"),  # age 1e2
    (f"{RAT_FEB}/IDS101_Referral.csv", 5, "unparseable_value"),  # age 0x20
    (f"{RAT_FEB}/IDS101_Referral.csv", 7, "unparseable_value"),  # date 2013-2-05
    (f"{RAT_FEB}/IDS101_Referral.csv", 8, "unparseable_value"),  # age +41
    (f"{RAT_FEB}/IDS101_Referral.csv", 9, "unparseable_value"),  # discharge with T
    (f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv", 2, "unparseable_value"),  # 1e1
    (f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv", 4, "unparseable_value"),  # 0x10
    ("kpi_returns/kpi_2012_13.csv", 2, "unknown_nil_return"),  # y
    ("kpi_returns/kpi_2012_13.csv", 4, "unparseable_value"),  # LevelOfNeed 1e2
    ("kpi_returns/kpi_2012_13.csv", 5, "unparseable_value"),  # SubmittedAt ...T...Z
    ("kpi_returns/kpi_2012_13.csv", 6, "unparseable_value"),  # ReferralsReceived 12.0
}


def _folder_rows(folder: str, counts: list[int], reason: str) -> set[tuple[str, int, str]]:
    return {
        (f"{folder}/{table}.csv", row, reason)
        for table, n in zip(TABLES, counts, strict=True)
        for row in range(1, n + 1)
    }


EXPECTED_REJECTIONS = (
    VALUE_REJECTIONS
    | _folder_rows(QUARTER, QUARTER_ROWS, "bad_reporting_period")
    | _folder_rows(OFFSET, OFFSET_ROWS, "unparseable_value")
    | _folder_rows(f"{NQ7}-copy", NQ7_COPY_ROWS, "duplicate_submission_id")
    | _folder_rows(f"{NQ7}-resent", NQ7_RESENT_ROWS, "duplicate_submission_id")
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("ingest_values")
    shutil.copytree(FIXTURE, work / "raw")
    return work


@pytest.fixture(scope="module")
def built(workdir: Path) -> DbtRun:
    run = run_dbt(["build", "--select", *INGEST_SELECTION], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    return run


def _rejections(run: DbtRun) -> set[tuple[str, int, str]]:
    return set(
        run.query(
            "select source_file, source_row_number, reason_code "
            "from marts.fct_raw_row_rejections where source_row_number is not null"
        )
    )


def _reason(run: DbtRun, source_file: str, row: int) -> str:
    return run.scalar(
        "select reason from marts.fct_raw_row_rejections "
        "where source_file = ? and source_row_number = ?",
        [source_file, row],
    )


def test_every_rejected_row_has_its_reason_and_row(built: DbtRun) -> None:
    assert _rejections(built) == EXPECTED_REJECTIONS
    # no file of the fixture is missing
    assert (
        built.scalar(
            "select count(*) from marts.fct_raw_row_rejections where source_row_number is null"
        )
        == 0
    )


def test_reasons_name_the_problem(built: DbtRun) -> None:
    assert "AgeAtReferral" in _reason(built, f"{RAT_FEB}/IDS101_Referral.csv", 4)
    assert "ServDischDate" in _reason(built, f"{RAT_FEB}/IDS101_Referral.csv", 9)
    assert "PersScore" in _reason(built, f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv", 4)
    nil = _reason(built, "kpi_returns/kpi_2012_13.csv", 2)
    assert "NilReturn not Y, N or empty" in nil and "NilReturn y" in nil
    assert "SubmittedAt" in _reason(built, "kpi_returns/kpi_2012_13.csv", 5)
    period = _reason(built, f"{QUARTER}/IDS201_CareContact.csv", 1)
    assert "2013-02-15 to 2013-04-30 is not one calendar month" in period
    assert "unparseable SubmittedAt" in _reason(built, f"{OFFSET}/IDS101_Referral.csv", 1)
    for folder in (f"{NQ7}-copy", f"{NQ7}-resent"):
        reason = _reason(built, f"{folder}/IDS101_Referral.csv", 1)
        assert f"UniqueSubmissionID 4001 already in folder {NQ7}" in reason


def test_every_file_reconciles_and_the_rest_is_accepted(built: DbtRun) -> None:
    files = {
        row[0]: row[1:]
        for row in built.query(
            "select source_file, raw_rows, accepted_rows, rejected_rows, is_reconciled "
            "from marts.fct_raw_file_reconciliation"
        )
    }
    on_disk = {str(path.relative_to(FIXTURE)) for path in FIXTURE.rglob("*.csv")}
    assert set(files) == on_disk
    assert all(reconciled for *_, reconciled in files.values())
    assert files[f"{RAT_FEB}/IDS101_Referral.csv"] == (9, 2, 7, True)
    assert files[f"{RAT_FEB}/IDS606_CodedScoreAssessment.csv"] == (4, 2, 2, True)
    assert files[f"{QUARTER}/IDS101_Referral.csv"] == (2, 0, 2, True)
    assert files[f"{NQ7}/IDS101_Referral.csv"] == (2, 2, 0, True)
    assert files[f"{NQ7}-resent/IDS101_Referral.csv"] == (3, 0, 3, True)
    assert files["kpi_returns/kpi_2012_13.csv"] == (6, 2, 4, True)


def test_accepted_values_are_typed(built: DbtRun) -> None:
    assert built.query(
        "select pathway_id, age_at_referral from staging.stg_iapt_v2__referrals "
        "where unique_submission_id = 3001 order by 1"
    ) == [("PW1", 41), ("PW6", 41)]  # ' 041 ' is trimmed; leading zeros are allowed
    assert built.query(
        "select cast(score as double) from staging.stg_iapt_v2__coded_scores "
        "where unique_submission_id = 3001 order by 1"
    ) == [(9.5,), (12.0,)]


def test_no_bogus_period_and_one_submission_per_id(built: DbtRun) -> None:
    months = built.query(
        "select reporting_period_start::varchar, status "
        "from intermediate.int_reporting_months_enumerated "
        "order by 1"
    )
    assert months == [("2013-02-01", "Final"), ("2013-03-01", "Provisional")]
    submissions = built.query(
        "select unique_submission_id, submission_folder, is_used "
        "from marts.dim_submissions order by 1"
    )
    assert submissions == [
        (3001, RAT_FEB, True),
        (3002, "iapt_v2/RAT/2013-03", True),
        (4001, NQ7, True),
    ]
    pathways = built.query(
        "select pathway_id, unique_submission_id from intermediate.int_referrals_selected "
        "order by 1"
    )
    assert pathways == [("PW1", 3002), ("PW6", 3001), ("PWQ1", 4001), ("PWQ2", 4001)]


def test_removing_the_kept_folder_uses_the_next(built: DbtRun, workdir: Path) -> None:
    """The duplicate check spans folders, so it is never stored with the rows: once the
    first folder is gone, its copy (next by path) is used without being read again."""
    loaded_sql = (
        "select distinct loaded_at from staging.base_iapt_v2__referrals "
        f"where submission_folder = '{NQ7}-copy'"
    )
    loaded = built.query(loaded_sql)
    shutil.rmtree(workdir / "raw" / NQ7)
    run = run_dbt(["build", "--select", *INGEST_SELECTION], workdir / "raw", workdir)
    assert run.returncode == 0, run.output[-4000:]
    assert run.query(loaded_sql) == loaded  # the copy's rows were not read again
    rejected = _rejections(run)
    assert not {row for row in rejected if row[0].startswith(f"{NQ7}-copy/")}
    resent = _folder_rows(f"{NQ7}-resent", NQ7_RESENT_ROWS, "duplicate_submission_id")
    assert resent <= rejected
    reason = _reason(run, f"{NQ7}-resent/IDS000_Header.csv", 1)
    assert f"already in folder {NQ7}-copy" in reason
    assert run.scalar(
        "select submission_folder from marts.dim_submissions where unique_submission_id = 4001"
    ) == (f"{NQ7}-copy")
    assert (
        run.scalar("select count(*) from marts.fct_raw_file_reconciliation where not is_reconciled")
        == 0
    )
