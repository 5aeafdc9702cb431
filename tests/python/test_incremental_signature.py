"""The incremental base_ models never go stale silently: a change of the code their rows
come from (a model's SQL, a macro it calls, a seed upstream) makes every folder look
new, so it is read again and its old rows are dropped (docs/incremental.md).

A copy of the project, so its files can be edited; a small generated set; only the
ingest models are built. After each edit, the rows must be exactly those of the new code
(a changed rejection detail appears on every row, nothing is doubled) and only the
models whose code changed may re-read their files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_ingest_support import PROJECT_ROOT, DbtRun, run_dbt

GENERATOR_ARGS = [
    "--start", "2013-01", "--months", "2", "--referrals", "300", "--providers", "2",
    "--seed", "5", "--refresh-rate", "0", "--fault-rate", "0.05",
]  # fmt: skip
SELECTION = [
    "--select", "+path:models/staging/base", "--resource-type", "seed", "--resource-type", "model",
]  # fmt: skip
TABLES = ("IDS000_Header", "IDS101_Referral", "IDS201_CareContact")
ORPHAN_DETAIL = "no accepted IDS101 row for the PathwayID"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signature")
    copy = root / "project"
    copy.mkdir()
    for name in ("dbt_project.yml", "macros", "models", "seeds"):
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "generate_data.py"),
         "--out", str(root / "raw"), *GENERATOR_ARGS],
        check=True, capture_output=True,
    )  # fmt: skip
    return copy


def _build(project: Path) -> DbtRun:
    run = run_dbt(
        ["build", "--project-dir", str(project), *SELECTION],
        project.parent / "raw",
        project.parent / "work",
        {"DBT_PROJECT_DIR": str(project)},
    )
    assert run.returncode == 0, run.output[-4000:]
    return run


def _files_read(run: DbtRun) -> dict[str, int]:
    read = {table: int(n) for n, table in re.findall(r": reading (\d+) (IDS\w+) file", run.output)}
    return {table: read.get(table, 0) for table in TABLES}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new))


def test_code_changes_rebuild_the_rows(project: Path) -> None:
    first = _build(project)
    everything = _files_read(first)
    assert all(n > 0 for n in everything.values()), everything
    rows = first.scalar("select count(*) from staging.base_iapt_v2__care_contacts")
    orphans = first.scalar(
        "select count(*) from staging.base_iapt_v2__care_contacts"
        f" where rejection_detail = '{ORPHAN_DETAIL}'"
    )
    assert orphans > 0  # the generated faults include orphan contacts

    # Nothing changed: nothing read.
    assert _files_read(_build(project)) == dict.fromkeys(TABLES, 0)

    # A macro the event models call: the orphan detail changes on every stored row.
    _edit(project / "macros" / "ingest" / "base_rows.sql", f"'{ORPHAN_DETAIL}'", "'orphan v2'")
    step = _build(project)
    assert _files_read(step) == everything  # base_rows builds every base_ model
    assert step.query(
        "select rejection_detail, count(*) from staging.base_iapt_v2__care_contacts"
        " where rejection_reason_code = 'orphan_event' group by 1"
    ) == [("orphan v2", orphans)]
    assert step.scalar("select count(*) from staging.base_iapt_v2__care_contacts") == rows

    # One model's SQL: it and the models built on it are re-read, the headers are not.
    _edit(
        project / "models" / "staging" / "base" / "base_iapt_v2__referrals.sql",
        "{{ base_rows('referrals') }}",
        "-- an edit\n{{ base_rows('referrals') }}",
    )
    step = _build(project)
    assert _files_read(step) == {
        "IDS000_Header": 0,
        "IDS101_Referral": everything["IDS101_Referral"],
        "IDS201_CareContact": everything["IDS201_CareContact"],  # orphans: reads referrals
    }
    assert step.scalar("select count(*) from staging.base_iapt_v2__care_contacts") == rows

    # A seed upstream of a base_ model (none is today: the test makes one). Every
    # base_iapt_v2 model is built on the headers (base_iapt_v2__submission_folders).
    headers = step.scalar("select count(*) from staging.base_iapt_v2__headers")
    _edit(
        project / "models" / "staging" / "base" / "base_iapt_v2__headers.sql",
        "{{ base_rows('headers') }}",
        "-- depends_on: {{ ref('code_gender') }}\n{{ base_rows('headers') }}",
    )
    assert _files_read(_build(project)) == everything
    assert _files_read(_build(project)) == dict.fromkeys(TABLES, 0)
    seed = project / "seeds" / "code_lists" / "code_gender.csv"
    seed.write_text(seed.read_text() + "8,Test code,invalid,Not known\n")
    step = _build(project)
    assert _files_read(step) == everything
    assert step.scalar("select count(*) from staging.base_iapt_v2__headers") == headers
    assert step.scalar("select count(*) from staging.base_iapt_v2__care_contacts") == rows
