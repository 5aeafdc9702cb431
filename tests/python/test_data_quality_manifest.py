"""The statement against a real generator fault manifest (generator on branch `gen`).

Staging is not on this branch, so the rejection table is built the way staging must build
it (architecture.md): one row per rejected raw row — every data row of the file for
whole-file faults (rows counted in the generated CSV), one row with no row number for a
missing file. Flags and KPI queries are counted from the manifest into the issues table.
The statement must then show, for every injected kind, the manifest's counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dq_marts_support import build_report_models
from iapt_tools.data_quality_statement import KIND_LABELS, write_data_quality_statement
from iapt_tools.settings import PROJECT_ROOT
from test_data_quality import _table_rows, build_marts, build_staging


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "generate_data.py"),
            "--out",
            str(out),
            "--start",
            "2012-12",
            "--months",
            "6",
            "--referrals",
            "400",
            "--providers",
            "3",
            "--seed",
            "11",
            "--refresh-rate",
            "0.3",
            "--fault-rate",
            "0.05",
            "--kpi-returns",
            "--force",
        ],
        check=True,
        capture_output=True,
    )
    return out


def _data_rows(path: Path) -> int:
    if not path.exists():
        return 0
    # bytes: a file may hold an injected line that is not UTF-8 (bad_encoding)
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def _mirror(raw: Path, manifest: dict) -> tuple[list[tuple], list[tuple]]:
    rejections: list[tuple] = []
    issues: list[tuple] = []
    for kind, fault in manifest["faults"].items():
        category = (
            "rejection"
            if fault["rejected_rows"] or kind == "missing_file"
            else "kpi_validation_query"
            if fault["items"][0]["table"] == "kpi_returns"
            else "flag"
        )
        by_table: dict[str, list[int]] = {}
        for item in fault["items"]:
            if category == "rejection":
                if item["row"] is not None:
                    rows = [item["row"]]
                elif kind == "missing_file":
                    rows = [None]
                else:
                    rows = list(range(1, _data_rows(raw / item["file"]) + 1))
                for row in rows:
                    rejections.append((item["table"], item["file"], row, "f", 1, kind, kind))
                counted = by_table.setdefault(item["table"], [0, 0, 0])
                counted[0] += sum(r is not None for r in rows)
                counted[1] += len(rows)
                counted[2] += 1
            else:
                counted = by_table.setdefault(item["table"], [0, 0, 0])
                counted[0] += 1 if category == "flag" else 0
                counted[1] += 1
        for table, (n_rows, n_occ, n_files) in by_table.items():
            issues.append((category, kind, table, n_rows, n_occ, n_files or None))
    return rejections, issues


def test_statement_reports_every_generated_fault_kind(generated, tmp_path):
    manifest = json.loads((generated / "faults_manifest.json").read_text())
    assert manifest["faults"], "the generator injected no faults"
    rejections, issues = _mirror(generated, manifest)
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    build_staging(con)
    build_marts(con, issues, rejections)
    build_report_models(con)
    con.close()
    md = write_data_quality_statement(path, tmp_path / "out")[0].read_text()

    unlabelled = set(manifest["faults"]) - set(KIND_LABELS)
    assert unlabelled == set()
    kinds = {r[0]: r for r in _table_rows(md, "Problems found, by kind")}
    assert set(kinds) == set(manifest["faults"])
    rejected_by_reason: dict[str, int] = {}
    for row in _table_rows(md, "Rejected rows"):
        reason = row[0].rsplit("(", 1)[1].rstrip(")")
        rejected_by_reason[reason] = rejected_by_reason.get(reason, 0) + int(
            row[2].replace(",", "")
        )
    for kind, fault in manifest["faults"].items():
        affected = int(kinds[kind][3].replace(",", ""))
        occurrences = int(kinds[kind][4].replace(",", ""))
        if fault["rejected_rows"]:
            assert affected == fault["rejected_rows"], kind
            assert rejected_by_reason[kind] == fault["rejected_rows"], kind
        elif kinds[kind][2] == "flag":
            assert affected == fault["count"], kind
        else:
            assert occurrences == fault["count"], kind


def test_statement_with_a_clean_generated_set_reports_no_faults(tmp_path):
    out = tmp_path / "raw"
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "generate_data.py"),
            "--out",
            str(out),
            "--start",
            "2013-01",
            "--months",
            "2",
            "--referrals",
            "100",
            "--providers",
            "2",
            "--seed",
            "3",
            "--fault-rate",
            "0",
            "--force",
        ],
        check=True,
        capture_output=True,
    )
    manifest = json.loads((out / "faults_manifest.json").read_text())
    assert manifest["faults"] == {}
    rejections, issues = _mirror(out, manifest)
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    build_staging(con)
    build_marts(con, issues, rejections)
    con.execute("delete from marts.fct_kpi_validation_queries")
    build_report_models(con)
    con.close()
    md = write_data_quality_statement(path, tmp_path / "out")[0].read_text()
    assert "No problems found" in md
    assert "No rows were rejected." in md
