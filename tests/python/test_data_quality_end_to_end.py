"""The data-quality statement of the real test build (`make test` generates its data with
`--fault-rate 0.01` and builds it with dbt before pytest) reports every injected fault
kind with the counts of the generator's faults_manifest.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iapt_tools.data_quality_statement import write_data_quality_statement
from iapt_tools.settings import Settings
from test_data_quality import _table_rows


@pytest.fixture(scope="module")
def statement(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    settings = Settings.from_env()
    manifest_path = settings.raw_dir / "faults_manifest.json"
    if not settings.warehouse.exists() or not manifest_path.exists():
        pytest.fail(
            f"needs the test build ({settings.warehouse}, {manifest_path}): run `make test-build`"
        )
    manifest = json.loads(manifest_path.read_text())
    out = tmp_path_factory.mktemp("statement")
    md = write_data_quality_statement(Path(settings.warehouse), out)[0].read_text()
    return md, manifest


def test_every_injected_fault_kind_is_reported_with_its_count(statement) -> None:
    md, manifest = statement
    assert manifest["faults"], "the test build must have faults"
    rows = {r[0]: r for r in _table_rows(md, "Problems found, by kind")}
    for kind, fault in manifest["faults"].items():
        assert kind in rows, kind
        affected = int(rows[kind][3].replace(",", ""))
        occurrences = int(rows[kind][4].replace(",", ""))
        if fault["rejected_rows"]:
            assert affected == fault["rejected_rows"], kind
        else:
            expected = occurrences if rows[kind][2] != "flag" else affected
            assert expected == fault["count"], kind
    assert set(rows) == set(manifest["faults"])
