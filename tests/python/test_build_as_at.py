"""marts.dim_build and builds at a non-default as-at month: every unit test pins the vars
it depends on, so a user's --vars builds everything (README example); an as-at month
before every submission fails with one clear message; the fingerprint and the synthetic
marker describe the raw input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_ingest_support import PROJECT_ROOT, DbtRun, run_dbt

GENERATOR_ARGS = ["--start", "2012-10", "--months", "4", "--referrals", "400",
                  "--providers", "3", "--seed", "3", "--kpi-returns"]  # fmt: skip
AS_AT = "2012-11"  # not the latest month of the data (2013-01)
# the scans with the models over them (+: raw_*_scanned on DuckDB)
CONTEXT = ["+raw_file_inventory", "+raw_build_context", "dim_build"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, DbtRun]:
    work = tmp_path_factory.mktemp("as_at")
    raw = work / "raw"
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "generate_data.py"), "--out", str(raw),
         *GENERATOR_ARGS],
        check=True, capture_output=True,
    )  # fmt: skip
    run = run_dbt(["build", "--vars", f"{{as_at_month: {AS_AT}}}"], raw, work)
    return raw, work, run


def _dim_build(run: DbtRun) -> dict[str, object]:
    rows = run.query("select * from marts.dim_build")
    assert len(rows) == 1
    names = [r[0] for r in run.query("describe marts.dim_build")]
    return dict(zip(names, rows[0], strict=True))


def test_full_build_at_a_non_default_month_runs_every_node(built) -> None:
    _raw, _work, run = built
    assert run.returncode == 0, run.output[-4000:]
    done = re.search(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", run.output)
    assert done is not None, run.output[-2000:]
    assert int(done.group(1)) > 500 and done.group(3) == "0" and done.group(4) == "0"
    build = _dim_build(run)
    assert build["as_at_month"] == AS_AT and build["is_as_at_month_requested"] is True
    assert str(build["as_at_month_start"]) == "2012-11-01"
    assert str(build["as_at_month_end"]) == "2012-11-30"
    # the warehouse is the 2012-11 picture: nothing after it, the month Provisional
    latest = run.scalar(
        "select max(reporting_period_end) from marts.measures where source = 'record_level'"
    )
    assert str(latest) == "2012-11-30"
    assert run.scalar(
        "select count(*) from marts.dim_submissions where reporting_period_start = "
        "date '2012-12-01' and is_used"
    ) == 0  # fmt: skip


def test_dim_build_describes_the_build(built) -> None:
    _raw, _work, run = built
    build = _dim_build(run)
    assert build["is_synthetic"] is True
    assert '"seed": 3' in str(build["synthetic_marker"])
    assert re.fullmatch(r"[0-9a-f]{32}", str(build["raw_fingerprint"]))
    # 4 months x 3 providers x 7 IDS files (+ refreshes) + 8 KPI return files: counted in
    # the raw folder here, independently of the inventory
    files = [p for p in (_raw / "iapt_v2").rglob("*.csv")] + list((_raw / "kpi_returns").glob("*"))
    assert build["raw_file_count"] == len(files)
    version = next(
        line.split(":", 1)[1].strip().strip('"')
        for line in (PROJECT_ROOT / "dbt_project.yml").read_text().splitlines()
        if line.startswith("version:")
    )
    assert build["project_version"] == version
    assert build["engine"] == "duckdb" and build["target_name"] == "duckdb"
    assert build["dbt_version"].startswith("1.11.")


def test_fingerprint_and_marker_follow_the_raw_input(built) -> None:
    raw, work, run = built
    before = _dim_build(run)["raw_fingerprint"]
    as_at = ["--vars", f"{{as_at_month: {AS_AT}}}"]
    again = run_dbt(["run", "--select", *CONTEXT, *as_at], raw, work)
    assert again.returncode == 0, again.output[-4000:]
    assert _dim_build(again)["raw_fingerprint"] == before  # same files, same fingerprint
    extra = raw / "kpi_returns" / "extra.csv"
    extra.write_text((raw / "kpi_returns").joinpath(sorted(
        p.name for p in (raw / "kpi_returns").glob("*.csv"))[0]).read_text())  # fmt: skip
    (raw / "SYNTHETIC_DATA.json").unlink()
    changed = run_dbt(["run", "--select", *CONTEXT, *as_at], raw, work)
    assert changed.returncode == 0, changed.output[-4000:]
    build = _dim_build(changed)
    assert build["raw_fingerprint"] != before
    assert build["is_synthetic"] is False and build["synthetic_marker"] is None


def test_as_at_month_before_every_submission_fails_clearly(built) -> None:
    raw, work, _run = built
    run = run_dbt(["run", "--select", *CONTEXT, "--vars", "{as_at_month: 2010-01}"], raw, work)
    assert run.returncode != 0
    assert "as_at_month 2010-01 is before every submission" in run.output
    assert "earliest record-level month: 2012-10" in run.output
    assert "earliest KPI quarter end: 2011-06-30" in run.output
    assert "Traceback" not in run.output
