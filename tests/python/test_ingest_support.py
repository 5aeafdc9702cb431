"""Helpers for the ingest tests: run dbt against a raw folder in a temporary place."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = PROJECT_ROOT / ".venv" / "bin" / "dbt"

# The ingest layer and everything it needs (seeds), not the other layers' models.
INGEST_SELECTION = [
    "resource_type:seed",
    "+path:models/marts/ingest",
    "+path:models/intermediate/selection",
]


@dataclass
class DbtRun:
    returncode: int
    output: str
    warehouse: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list | None = None) -> object:
        return self.query(sql, params)[0][0]


def run_dbt(
    args: list[str], raw_dir: Path, work_dir: Path, extra_env: dict[str, str] | None = None
) -> DbtRun:
    """Run dbt in the project with its own warehouse, target and log paths under work_dir."""
    warehouse = work_dir / "warehouse.duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "IAPT_RAW_DIR": str(raw_dir),
        "IAPT_WAREHOUSE": str(warehouse),
        "IAPT_OUTPUT_DIR": str(work_dir / "output"),
        "IAPT_DUCKDB_TEMP_DIR": str(work_dir / "duckdb_tmp"),
        **(extra_env or {}),
    }
    # Tests that also read models outside the selection (e.g. an episodes check that
    # reads a staging model) must not be pulled in: select them only when all their
    # parents are selected.
    selecting = ["--indirect-selection", "cautious"] if "--select" in args else []
    command = [
        str(DBT),
        *args,
        *selecting,
        "--target-path",
        str(work_dir / "dbt-target"),
        "--log-path",
        str(work_dir / "dbt-logs"),
    ]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    return DbtRun(done.returncode, done.stdout + done.stderr, warehouse)
