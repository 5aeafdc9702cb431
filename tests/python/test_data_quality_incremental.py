"""The data-quality marts built incrementally equal a full rebuild.

Generated data, six months. Warehouse A is built on months 1-5 without month 5's
Refresh folders, with one folder lacking its last contact and one extra folder; then
month 6 arrives with month 5's refreshes (which supersede used submissions), the folder
is re-sent whole and the extra folder is withdrawn, and A is built again (incremental).
Warehouse B is a full build of the final folders. Every data-quality mart (and the
per-submission counts) must be identical (`except all` both ways); then the same after
moving the as-at month back, and forward again.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from test_ingest_support import PROJECT_ROOT, DbtRun, run_dbt

GENERATOR_ARGS = [
    "--start", "2013-01", "--months", "6", "--referrals", "1500", "--providers", "4",
    "--seed", "11", "--refresh-rate", "0.5", "--fault-rate", "0.02", "--kpi-returns",
]  # fmt: skip
LAST_MONTH = "2013-06"
REFRESHED_MONTH = "2013-05"
AS_AT_BACK = "2013-04"
WITHDRAWN = "2013-03/withdrawn_copy"
WITHDRAWN_ID = "999999"
SELECTION = ["--select", "+path:models/marts/data_quality"]
COUNTS = "* exclude (folder_signature, code_lists_signature)"
COMPARED = {
    "marts.fct_data_quality_vodim": "*",
    "marts.fct_data_quality_issues": "*",
    "marts.fct_data_quality_completeness": "*",
    "intermediate.int_data_items_validated": COUNTS,
    "intermediate.int_row_flags_counted": COUNTS,
}
ENV = {"IAPT_DBT_THREADS": "2"}


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int, int]]:
    """Per compared table: (rows, rows only in incremental, rows only in full)."""
    found = {}
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{full}' as full_build (read_only)")
        for table, columns in COMPARED.items():
            mine = f"select {columns} from {table}"
            theirs = f"select {columns} from full_build.{table}"
            found[table] = tuple(
                con.execute(f"select count(*) from ({query})").fetchone()[0]
                for query in (mine, f"{mine} except all {theirs}", f"{theirs} except all {mine}")
            )
    return found


def assert_identical(incremental: Path, full: Path) -> None:
    found = differences(incremental, full)
    assert all(rows > 0 for rows, _, _ in found.values()), found
    assert {table: diff[1:] for table, diff in found.items()} == {t: (0, 0) for t in COMPARED}


def counted(run: DbtRun) -> dict[str, int]:
    """Submissions each per-submission model says it counted in this run."""
    return {
        model: int(number)
        for model, number in re.findall(r"(int_\w+): counting (\d+) submission", run.output)
    }


def folders(raw: Path, month: str, kind: str = "") -> list[Path]:
    return sorted(p for p in (raw / "iapt_v2" / month).iterdir() if kind in p.name)


def resent_folder(raw: Path) -> Path:
    return folders(raw, "2013-02", "_Primary_")[0]


def build(args: list[str], raw: Path, work: Path) -> DbtRun:
    run = run_dbt(args, raw, work, ENV)
    assert run.returncode == 0, run.output[-4000:]
    return run


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("dq_incremental")
    final_raw = root / "b" / "raw"
    subprocess.run(
        [sys.executable, "scripts/generate_data.py", "--out", str(final_raw), *GENERATOR_ARGS],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    # A's first state: no month 6, no refresh of month 5, an earlier form of one
    # folder (its last contact not sent yet) and a copy of another folder under a
    # submission id of its own, withdrawn later.
    raw = root / "a" / "raw"
    shutil.copytree(final_raw, raw)
    shutil.rmtree(raw / "iapt_v2" / LAST_MONTH)
    for folder in folders(raw, REFRESHED_MONTH, "_Refresh_"):
        shutil.rmtree(folder)
    contacts = resent_folder(raw) / "IDS201_CareContact.csv"
    contacts.write_text("".join(contacts.read_text().splitlines(keepends=True)[:-1]))
    withdrawn = raw / "iapt_v2" / WITHDRAWN
    shutil.copytree(folders(raw, "2013-03", "_Primary_")[0], withdrawn)
    for path in withdrawn.glob("*.csv"):
        with path.open(newline="") as file:
            rows = list(csv.DictReader(file))
        header = path.read_text().splitlines()[0].split(",")
        for row in rows:
            row["UniqueSubmissionID"] = WITHDRAWN_ID
            if "SubmittedAt" in row:
                row["SubmittedAt"] = "2013-01-01 00:00:00"  # the earliest: never used
        with path.open("w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return {"root": root, "final_raw": final_raw, "raw": raw}


def advance(scenario: dict[str, Path]) -> None:
    """A's raw folder to the final state: month 6 and month 5's refreshes arrive, the
    incomplete folder is re-sent whole, the extra folder is withdrawn."""
    raw, final = scenario["raw"], scenario["final_raw"]
    shutil.rmtree(raw / "iapt_v2" / WITHDRAWN)
    shutil.copytree(final / "iapt_v2" / LAST_MONTH, raw / "iapt_v2" / LAST_MONTH)
    for folder in folders(final, REFRESHED_MONTH, "_Refresh_"):
        shutil.copytree(folder, raw / "iapt_v2" / REFRESHED_MONTH / folder.name)
    contacts = "IDS201_CareContact.csv"
    shutil.copy(resent_folder(final) / contacts, resent_folder(raw) / contacts)


@pytest.fixture(scope="module")
def builds(scenario: dict[str, Path]) -> dict[str, DbtRun]:
    """A's first and incremental builds, while B's full build runs alongside (two
    warehouses, two processes: the test takes half the time on two cores)."""
    work_a, work_b = scenario["root"] / "a", scenario["root"] / "b"
    first_time = ["build", *SELECTION, "--resource-type", "seed", "model"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        full = pool.submit(build, first_time, scenario["final_raw"], work_b)
        first = build(first_time, scenario["raw"], work_a)
        advance(scenario)
        incremental = build(["run", *SELECTION], scenario["raw"], work_a)
        full.result()
    shutil.copy(work_b / "warehouse.duckdb", work_b / "latest.duckdb")
    return {"first": first, "incremental": incremental}


@pytest.fixture(scope="module")
def first_build(builds: dict[str, DbtRun]) -> DbtRun:
    return builds["first"]


@pytest.fixture(scope="module")
def incremental_build(builds: dict[str, DbtRun]) -> DbtRun:
    return builds["incremental"]


@pytest.fixture(scope="module")
def full_build(scenario: dict[str, Path], builds: dict[str, DbtRun]) -> Path:
    """B's warehouse as fully built on the final folders (kept aside)."""
    return scenario["root"] / "b" / "latest.duckdb"


def test_first_build_counts_every_submission(first_build: DbtRun) -> None:
    assert "counting" in first_build.output and "(full build)" in first_build.output


def test_adding_a_month_counts_only_new_and_resent_submissions(
    scenario: dict[str, Path], incremental_build: DbtRun
) -> None:
    new = incremental_build.scalar(
        "select count(*) from staging.stg_iapt_v2__headers "
        f"where submission_folder like 'iapt_v2/{LAST_MONTH}/%' "
        f"or submission_folder like 'iapt_v2/{REFRESHED_MONTH}/%_Refresh_%' "
        "or submission_folder = ?",
        [str(resent_folder(scenario["raw"]).relative_to(scenario["raw"]))],
    )
    assert new > 2
    assert counted(incremental_build) == {
        "int_data_items_validated": new,
        "int_row_flags_counted": new,
    }


def test_incremental_equals_full_build(
    scenario: dict[str, Path], incremental_build: DbtRun, full_build: Path
) -> None:
    warehouse = scenario["root"] / "a" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        superseded = con.execute(
            "select count(*) from marts.dim_submissions where selection_reason = "
            f"'superseded by refresh' and reporting_period_start = '{REFRESHED_MONTH}-01'"
        ).fetchone()[0]
        withdrawn = con.execute(
            "select count(*) from intermediate.int_data_items_validated "
            f"where unique_submission_id = {WITHDRAWN_ID}"
        ).fetchone()[0]
    assert superseded > 0 and withdrawn == 0
    assert_identical(warehouse, full_build)


def test_as_at_month_back_and_forth_equals_full_build(
    scenario: dict[str, Path], incremental_build: DbtRun, full_build: Path
) -> None:
    work_a, work_b = scenario["root"] / "a", scenario["root"] / "b"
    as_at = ["--vars", f"{{as_at_month: '{AS_AT_BACK}'}}"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        rebuilt = ["run", *SELECTION, *as_at, "--full-refresh"]
        full_back = pool.submit(build, rebuilt, scenario["final_raw"], work_b)
        back = build(["run", *SELECTION, *as_at], scenario["raw"], work_a)
        full_back.result()
    assert set(counted(back).values()) == {0}  # a change of use costs no recount
    assert_identical(work_a / "warehouse.duckdb", work_b / "warehouse.duckdb")
    forth = build(["run", *SELECTION], scenario["raw"], work_a)
    assert set(counted(forth).values()) == {0}
    assert_identical(work_a / "warehouse.duckdb", full_build)
    # every count is for the folder as loaded now (what the pre-hook compares)
    for model in ("int_data_items_validated", "int_row_flags_counted"):
        assert (
            forth.scalar(
                f"select count(*) from intermediate.{model} as counts "
                "left join staging.stg_iapt_v2__headers as headers "
                "on counts.unique_submission_id = headers.unique_submission_id "
                "where counts.folder_signature is distinct from headers.folder_signature"
            )
            == 0
        )
