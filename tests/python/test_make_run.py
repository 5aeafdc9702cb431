"""make run generates the synthetic demo only into the default data/raw: a mistyped or
empty IAPT_RAW_DIR fails with its path (and nothing is generated there)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _make(target: str, raw: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IAPT_RAW_DIR": str(raw)}
    return subprocess.run(["make", "-s", target], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.parametrize("exists", [False, True])
def test_non_default_raw_dir_without_data_is_an_error(tmp_path: Path, exists: bool) -> None:
    raw = tmp_path / "mistyped"
    if exists:
        raw.mkdir()
    done = _make("run", raw)
    assert done.returncode != 0
    why = "holds no CSV file" if exists else "does not exist"
    assert f"error: IAPT_RAW_DIR {raw} {why}" in done.stderr
    assert "generating" not in done.stdout
    assert list(raw.iterdir()) == [] if exists else not raw.exists()


def test_raw_dir_with_data_is_used(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "kpi_returns").mkdir(parents=True)
    (raw / "kpi_returns" / "k.csv").write_text("x\n")
    done = _make("demo-data", raw)
    assert done.returncode == 0 and f"Using raw data in {raw}" in done.stdout
