"""A second `make build` / `make dq` / `make publish` while another process holds the
warehouse gets one line naming that process, not dbt's or GX's tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create table if not exists t (a integer)")
print("holding", flush=True)
time.sleep(120)
"""


@pytest.fixture
def held(tmp_path: Path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    yield warehouse, holder.pid
    holder.kill()
    holder.wait()


@pytest.mark.parametrize("target", ["build", "dq", "publish"])
def test_locked_warehouse_is_one_clear_line(held, tmp_path: Path, target: str) -> None:
    warehouse, pid = held
    env = {**os.environ, "IAPT_WAREHOUSE": str(warehouse), "IAPT_RAW_DIR": str(tmp_path),
           "IAPT_OUTPUT_DIR": str(tmp_path / "out")}  # fmt: skip
    done = subprocess.run(["make", "-s", target], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make")]
    assert ours == [
        f"error: the warehouse {warehouse} is in use by process {pid}: wait for it to "
        "finish (or stop it), then run this again"
    ]
    assert "Traceback" not in done.stdout + done.stderr


def test_free_or_absent_warehouse_passes(tmp_path: Path) -> None:
    from iapt_tools.warehouse_lock import lock_message

    assert lock_message(tmp_path / "absent.duckdb", read_only=True) is None
    import duckdb

    duckdb.connect(str(tmp_path / "free.duckdb")).close()
    assert lock_message(tmp_path / "free.duckdb", read_only=False) is None


@pytest.mark.parametrize("script", ["run_data_quality.py", "publish.py", "where.py"])
def test_locked_warehouse_is_one_clear_line_from_a_script(
    held, tmp_path: Path, script: str
) -> None:
    warehouse, pid = held
    env = {**os.environ, "IAPT_WAREHOUSE": str(warehouse), "IAPT_RAW_DIR": str(tmp_path),
           "IAPT_OUTPUT_DIR": str(tmp_path / "out")}  # fmt: skip
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    done = subprocess.run([str(python), f"scripts/{script}"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: the warehouse {warehouse} is in use by process {pid}: wait for it to "
        "finish (or stop it), then run this again"
    ]
    assert "Traceback" not in done.stdout + done.stderr
