"""Every fault the generator injects is detected by the ingest layer, with the right
reason and count (faults_manifest.json, docs/architecture.md).

One small generated set (--fault-rate 0.01) and one `dbt build` of the ingest selection.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from test_ingest_support import INGEST_SELECTION, PROJECT_ROOT, DbtRun, run_dbt

GENERATOR_ARGS = [
    "--start", "2012-10", "--months", "15", "--referrals", "4000", "--providers", "6",
    "--seed", "7", "--refresh-rate", "0.3", "--fault-rate", "0.01", "--kpi-returns",
]  # fmt: skip

REJECTION_REASONS = [
    "malformed_row", "unterminated_quote", "bad_encoding",
    "missing_header", "bad_header_row_count", "duplicate_submission_id", "missing_file",
    "missing_column",
    "unparseable_value", "missing_value", "missing_key", "submission_id_mismatch",
    "duplicate_key", "orphan_event", "unknown_org_code", "unparseable_quarter",
    "unknown_return_type", "late_resubmission",
]  # fmt: skip

KPI_QUERIES = [
    "negative_count", "recovery_exceeds_eligible", "not_at_caseness_exceeds_completed",
    "missing_level_of_need", "unknown_count", "missing_return", "superseded_original",
]  # fmt: skip

STAGING = {
    "IDS001_MPI": "stg_iapt_v2__patients",
    "IDS101_Referral": "stg_iapt_v2__referrals",
    "IDS603_PresentingComplaints": "stg_iapt_v2__presenting_complaints",
    "IDS201_CareContact": "stg_iapt_v2__care_contacts",
    "IDS606_CodedScoreAssessment": "stg_iapt_v2__coded_scores",
    "IDS004_EmpStatus": "stg_iapt_v2__employment_statuses",
}

# Flags: the row is accepted and carries the flag (episodes flag the referral window).
FLAG_CONDITIONS = {
    "score_out_of_range": "not is_score_in_range",
    "out_of_period_event": "is_out_of_period",
    "discharge_before_referral": "is_discharge_before_referral",
    "event_outside_referral_window": "true",
    "invalid_code": None,  # any *_validity column = 'invalid'
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtRun, dict]:
    work = tmp_path_factory.mktemp("ingest_faults")
    raw = work / "raw"
    subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "generate_data.py"), "--out", str(raw),
         *GENERATOR_ARGS],
        check=True, capture_output=True, cwd=PROJECT_ROOT,
    )  # fmt: skip
    manifest = json.loads((raw / "faults_manifest.json").read_text())["faults"]
    run = run_dbt(["build", "--select", *INGEST_SELECTION], raw, work)
    assert run.returncode == 0, run.output[-4000:]
    return run, manifest


def test_the_set_has_faults_of_every_rejection_kind(generated: tuple[DbtRun, dict]) -> None:
    _, manifest = generated
    # guard: the comparison below means nothing if the generator injected nothing
    assert sum(manifest.get(kind, {}).get("count", 0) for kind in REJECTION_REASONS) > 100
    assert {kind for kind in REJECTION_REASONS if manifest.get(kind, {}).get("count")} >= {
        "missing_header", "bad_header_row_count", "missing_column", "unparseable_value",
        "missing_value", "missing_key", "submission_id_mismatch", "duplicate_key",
        "orphan_event", "malformed_row", "unterminated_quote", "bad_encoding",
        "duplicate_submission_id",
    }  # fmt: skip


def test_rejected_row_counts_match_the_manifest(generated: tuple[DbtRun, dict]) -> None:
    run, manifest = generated
    got = Counter(
        dict(
            run.query(
                "select reason_code, count(*) from marts.fct_raw_row_rejections "
                "where source_row_number is not null group by reason_code"
            )
        )
    )
    expected = Counter(
        {kind: manifest[kind]["rejected_rows"] for kind in REJECTION_REASONS if kind in manifest}
    )
    assert +got == +expected


def test_every_faulty_row_is_rejected_with_its_reason(generated: tuple[DbtRun, dict]) -> None:
    run, manifest = generated
    rejected = set(
        run.query(
            "select source_file, source_row_number, reason_code from marts.fct_raw_row_rejections"
        )
    )
    missed = [
        item
        for kind in REJECTION_REASONS
        for item in manifest.get(kind, {}).get("items", [])
        if item["row"] is not None and (item["file"], item["row"], kind) not in rejected
    ]
    assert missed == []
    # a re-delivered folder: every row of each of its files, with the kept folder named
    for item in manifest["duplicate_submission_id"]["items"]:
        reasons = run.query(
            "select reason_code, reason from marts.fct_raw_row_rejections where source_file = ?",
            [item["file"]],
        )
        kept = item["file"].rsplit("_redelivered", 1)[0]
        assert reasons and all(code == "duplicate_submission_id" for code, _ in reasons)
        assert all(f"already in folder {kept}" in reason for _, reason in reasons)
    missing_files = [item["file"] for item in manifest.get("missing_file", {}).get("items", [])]
    assert set(missing_files) <= {
        row[0] for row in rejected if row[1] is None and row[2] == "missing_file"
    }


def test_flagged_rows_are_kept_and_flagged(generated: tuple[DbtRun, dict]) -> None:
    run, manifest = generated
    for kind, condition in FLAG_CONDITIONS.items():
        items = manifest.get(kind, {}).get("items", [])
        for item in items:
            model = STAGING[item["table"]]
            if condition is None:
                columns = run.query(
                    "select column_name from information_schema.columns "
                    f"where table_schema = 'staging' and table_name = '{model}' "
                    "and column_name like '%_validity'"
                )
                condition_sql = " or ".join(f"{col} = 'invalid'" for (col,) in columns)
            else:
                condition_sql = condition
            found = run.scalar(
                f"select count(*) from staging.{model} where source_file = ? "
                f"and source_row_number = ? and ({condition_sql})",
                [item["file"], item["row"]],
            )
            assert found == 1, (kind, item)


def test_kpi_validation_queries_match_the_manifest(generated: tuple[DbtRun, dict]) -> None:
    run, manifest = generated
    queries = Counter(
        run.query(
            "select queries.query_code, queries.pct_code || ' ' || quarters.quarter_label "
            "from marts.fct_kpi_validation_queries as queries "
            "inner join intermediate.int_kpi_quarters_enumerated as quarters "
            "on queries.quarter_start = quarters.quarter_start"
        )
    )
    expected = Counter(
        (kind, item["id"])
        for kind in KPI_QUERIES
        for item in manifest.get(kind, {}).get("items", [])
    )
    assert queries == expected


def test_every_file_reconciles(generated: tuple[DbtRun, dict]) -> None:
    run, _ = generated
    assert (
        run.scalar("select count(*) from marts.fct_raw_file_reconciliation where not is_reconciled")
        == 0
    )
    raw_files = {
        str(path.relative_to(run.warehouse.parent / "raw"))
        for path in Path(run.warehouse.parent / "raw").rglob("*.csv")
    }
    assert raw_files <= {
        row[0] for row in run.query("select source_file from marts.fct_raw_file_reconciliation")
    }
