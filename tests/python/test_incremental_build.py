"""An incremental build must give exactly what a full build of the same raw data gives.

One generated data set (8 months, 4 providers). An incremental warehouse is built from
its first months, then grows the way a real one does: a month's Primaries arrive with
the previous month's Refreshes (which supersede Primaries), a folder already loaded is
re-sent with rows removed, a used Refresh is withdrawn (its Primary is used again), a
quarter completes, news of ended referrals comes only through a moved contact or a
patient's employment record, and the as-at month moves back. After each step every
table and view of the warehouse is compared, row for row (`except all` both ways), with
a fresh full build of the same raw folder, and the base_ models must have read only the
folders that are new or changed. See docs/incremental.md.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from test_ingest_support import PROJECT_ROOT, DbtRun, run_dbt

SCHEMAS = ("staging", "intermediate", "marts")
# Which dbt run read a raw row; when and by which invocation the build ran (dim_build).
NOT_COMPARED_COLUMNS = ["loaded_at", "built_at", "invocation_id"]

GENERATOR_ARGS = [
    "--start", "2012-10", "--months", "8", "--referrals", "1500", "--providers", "4",
    "--seed", "11", "--refresh-rate", "0.3", "--fault-rate", "0.01",
]  # fmt: skip


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("incremental") / "generated"
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "generate_data.py"), "--out", str(out),
         *GENERATOR_ARGS],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def _folders(raw: Path, month: str, kind: str | None = None) -> list[Path]:
    return sorted(
        p for p in (raw / "iapt_v2" / month).iterdir() if kind is None or f"_{kind}_" in p.name
    )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open() as f:
        return list(csv.DictReader(f))


def _ended_in_january(raw: Path, provider: str) -> dict[str, str]:
    """PathwayID -> LocalPatientId of the provider's January referrals that no later file
    mentions: neither the referral nor its patient (referrals, employment)."""
    january = next(f for f in _folders(raw, "2013-01", "Primary") if f.name.startswith(provider))
    later = [
        folder
        for month in ("2013-02", "2013-03", "2013-04", "2013-05")
        for folder in _folders(raw, month)
        if folder.name.startswith(provider)
    ]
    later_referrals = [row for f in later for row in _read(f / "IDS101_Referral.csv")]
    later_pathways = {row["PathwayID"] for row in later_referrals}
    later_patients = {row["LocalPatientId"] for row in later_referrals} | {
        row["LocalPatientId"] for f in later for row in _read(f / "IDS004_EmpStatus.csv")
    }
    return {
        row["PathwayID"]: row["LocalPatientId"]
        for row in _read(january / "IDS101_Referral.csv")
        if row["PathwayID"] not in later_pathways and row["LocalPatientId"] not in later_patients
    }


def _append(path: Path, row: list[str]) -> None:
    with path.open("a", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(row)


def _send_late_news(raw: Path, may: Path) -> tuple[str, str]:
    """Two referrals that ended in January get news in May only through rules 5 and 6:
    one's old contact is re-sent under another referral (the contact moves), the other's
    patient gets a new employment record. Neither referral nor patient is in any other
    changed file. Returns the two PathwayIDs."""
    provider = may.name.split("_")[0]
    january = next(f for f in _folders(raw, "2013-01", "Primary") if f.name.startswith(provider))
    ended = _ended_in_january(raw, provider)
    submission_id = _read(may / "IDS101_Referral.csv")[0]["UniqueSubmissionID"]
    may_pathway = _read(may / "IDS101_Referral.csv")[0]["PathwayID"]
    moved = next(r for r in _read(january / "IDS201_CareContact.csv") if r["PathwayID"] in ended)
    _append(may / "IDS201_CareContact.csv",
            [submission_id, moved["CareContactId"], may_pathway, "2013-05-15", "02", "5", "01",
             "304891004"])  # fmt: skip
    employed = next(p for p in ended if p != moved["PathwayID"])
    _append(may / "IDS004_EmpStatus.csv",
            [submission_id, ended[employed], "01", "2013-05-10", "N", "N"])  # fmt: skip
    return moved["PathwayID"], employed


def _build(raw: Path, work: Path, extra: list[str] | None = None) -> DbtRun:
    run = run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model", *(extra or [])], raw, work
    )
    assert run.returncode == 0, run.output[-3000:]
    return run


def _relations(con: duckdb.DuckDBPyConnection, alias: str) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        f" where table_catalog = '{alias}' and table_schema in {SCHEMAS}"
    ).fetchall()
    return {r[0] for r in rows}


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Relations whose rows differ: name -> (rows only in incremental, rows only in full)."""
    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as inc (read_only)")
    con.execute(f"attach '{full}' as ref (read_only)")
    inc, ref = _relations(con, "inc"), _relations(con, "ref")
    diffs: dict[str, tuple[int, int]] = {name: (-1, -1) for name in inc ^ ref}
    for name in sorted(inc & ref):
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'ref'"
                " and table_schema || '.' || table_name = ?"
                " and not list_contains(?::varchar[], column_name) order by ordinal_position",
                [name, NOT_COMPARED_COLUMNS],
            ).fetchall()
        ]
        cols = ", ".join(f'"{c}"' for c in columns)
        only_inc = con.execute(
            f"select count(*) from (select {cols} from inc.{name}"
            f" except all select {cols} from ref.{name})"
        ).fetchone()[0]
        only_ref = con.execute(
            f"select count(*) from (select {cols} from ref.{name}"
            f" except all select {cols} from inc.{name})"
        ).fetchone()[0]
        if only_inc or only_ref:
            diffs[name] = (only_inc, only_ref)
    con.close()
    return diffs


def _assert_same_as_full(raw: Path, incremental: DbtRun, work: Path, extra: list[str]) -> None:
    full_work = work / "full"
    shutil.rmtree(full_work, ignore_errors=True)
    full = _build(raw, full_work, extra)
    assert _differences(incremental.warehouse, full.warehouse) == {}


def _assert_tests_pass_and_can_fail(raw: Path, work: Path) -> None:
    """After incremental builds the data tests pass, and a row loaded twice (what a
    wrong loaded-folder check would do) fails the key test of the base_ table."""
    tested = run_dbt(["test", "--exclude-resource-type", "unit_test"], raw, work)
    assert tested.returncode == 0, tested.output[-3000:]
    table = "staging.base_iapt_v2__care_contacts"
    with duckdb.connect(str(tested.warehouse)) as con:
        con.execute(f"insert into {table} select * from {table} limit 1")
    planted = run_dbt(
        [
            "test",
            "--select",
            "unique_combination_of_columns_base_iapt_v2__care_contacts_source_file__source_row_number",
        ],
        raw,
        work,
    )
    assert planted.returncode != 0 and "FAIL 1" in planted.output, planted.output[-3000:]
    with duckdb.connect(str(tested.warehouse)) as con:  # leave the warehouse as it was
        con.execute(f"delete from {table} where rowid = (select max(rowid) from {table})")


def _referral_files_read(run: DbtRun) -> int:
    """IDS101_Referral files the build parsed (one per submission folder read)."""
    if "no new IDS101_Referral file to read" in run.output:
        return 0
    found = re.findall(r": reading (\d+) IDS101_Referral file", run.output)
    assert len(found) == 1, run.output[-3000:]
    return int(found[0])


def _folder_count(raw: Path) -> int:
    return len(list((raw / "iapt_v2").glob("*/*/IDS101_Referral.csv")))


def test_incremental_builds_equal_full_builds(generated: Path, tmp_path: Path) -> None:
    raw, work = tmp_path / "raw", tmp_path / "work"
    shutil.copytree(generated, raw, copy_function=shutil.copy2)
    # Hold back February's Refreshes and the last three months.
    held = tmp_path / "held"
    for month in ("2013-02", "2013-03", "2013-04", "2013-05"):
        for folder in _folders(raw, month, "Refresh" if month == "2013-02" else None):
            dest = held / month / folder.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder, dest)
    first = _build(raw, work)
    assert _referral_files_read(first) == _folder_count(raw)  # first build: everything

    # Nothing new: nothing read.
    assert _referral_files_read(_build(raw, work)) == 0

    # February's Refreshes arrive with March, which completes the quarter January-March:
    # referrals that ended in January or February now count in it too.
    arrived = 0
    for month in ("2013-02", "2013-03"):
        for folder in sorted((held / month).iterdir()):
            shutil.move(folder, raw / "iapt_v2" / month / folder.name)
            arrived += 1
    step = _build(raw, work)
    assert _referral_files_read(step) == arrived
    _assert_same_as_full(raw, step, work, [])

    # April and May arrive, May with late news of two ended referrals; a February
    # folder is re-sent without some contacts; a February Refresh is withdrawn, so its
    # Primary is used again.
    arrived = 0
    for month in ("2013-04", "2013-05"):
        for folder in sorted((held / month).iterdir()):
            shutil.move(folder, raw / "iapt_v2" / month / folder.name)
            arrived += 1
    _send_late_news(raw, _folders(raw, "2013-05", "Primary")[0])
    february = _folders(raw, "2013-02", "Primary")[0] / "IDS201_CareContact.csv"
    lines = february.read_text().splitlines(keepends=True)
    february.unlink()  # a new file (new signature), not an edit of the shared original
    february.write_text("".join(lines[: max(2, len(lines) // 2)]))
    shutil.rmtree(_folders(raw, "2013-02", "Refresh")[0])
    step = _build(raw, work)
    assert _referral_files_read(step) == arrived + 1  # and the re-sent February folder
    _assert_same_as_full(raw, step, work, [])
    _assert_tests_pass_and_can_fail(raw, work)

    # The as-at month moves back (forward is the monthly case above).
    back = ["--vars", "{as_at_month: '2013-02'}"]
    step = _build(raw, work, back)
    assert _referral_files_read(step) == 0  # the use of a submission is not in base_
    _assert_same_as_full(raw, step, work, back)
