"""Empty data-quality marts with their real columns, for tests of other parts (the
publication) that need a warehouse the data-quality statement can read. The columns
mirror models/marts/data_quality/ and models/marts/ingest/; test_dq_marts_support_*
checks them against a warehouse built by dbt when one is present."""

from __future__ import annotations

import re

import duckdb
import pytest

from iapt_tools.settings import PROJECT_ROOT

VODIM_COUNTS = ["total_rows", "valid_count", "other_count", "default_count", "invalid_count",
                "missing_count"]  # fmt: skip

DQ_MARTS: dict[str, dict[str, str]] = {
    "marts.fct_data_quality_vodim": {
        "provider_code": "varchar",
        "reporting_period_start": "date",
        "is_used_submission": "boolean",
        "source_table": "varchar",
        "data_item": "varchar",
        "check_type": "varchar",
        "total_rows": "bigint",
        "valid_count": "bigint",
        "other_count": "bigint",
        "default_count": "bigint",
        "invalid_count": "bigint",
        "missing_count": "bigint",
        "unclassified_count": "bigint",
        "pct_valid": "double",
        "pct_other": "double",
        "pct_default": "double",
        "pct_invalid": "double",
        "pct_missing": "double",
    },
    "marts.fct_data_quality_vodim_ytd": {
        "group_type": "varchar",
        "provider_code": "varchar",
        "reporting_period_start": "date",
        "financial_year_start": "date",
        "source_table": "varchar",
        "data_item": "varchar",
        "check_type": "varchar",
        **{f"{p}{c}": "bigint" for p in ("", "ytd_") for c in VODIM_COUNTS},
    },
    "marts.fct_submission_coverage": {
        "reporting_period_start": "date",
        "reporting_period_end": "date",
        "is_as_at_month": "boolean",
        "providers_expected": "bigint",
        "providers_submitting": "bigint",
        "providers_primary_used": "bigint",
        "providers_refresh_used": "bigint",
        "providers_missing": "bigint",
        "coverage_share": "decimal(18, 6)",
        "missing_provider_codes": "varchar",
    },
    "marts.fct_data_quality_issues": {
        "issue_category": "varchar",
        "issue_kind": "varchar",
        "source_table": "varchar",
        "row_count": "bigint",
        "occurrence_count": "bigint",
        "file_count": "bigint",
    },
    "marts.fct_data_quality_completeness": {
        "provider_code": "varchar",
        "discharge_month": "date",
        "finished_referrals": "bigint",
        "with_paired_scores": "bigint",
        "with_problem_descriptor": "bigint",
        "with_valid_commissioner": "bigint",
        "pct_with_paired_scores": "double",
        "pct_with_problem_descriptor": "double",
        "pct_with_valid_commissioner": "double",
    },
    "marts.fct_raw_row_rejections": {
        "source_table": "varchar",
        "source_file": "varchar",
        "source_row_number": "bigint",
        "source_line_number": "bigint",
        "submission_folder": "varchar",
        "unique_submission_id": "bigint",
        "reason_code": "varchar",
        "reason": "varchar",
    },
    "marts.fct_raw_file_reconciliation": {
        "source_table": "varchar",
        "source_file": "varchar",
        "file_reason_code": "varchar",
        "records_in_file": "bigint",
        "raw_rows": "bigint",
        "accepted_rows": "bigint",
        "rejected_rows": "bigint",
        "is_reconciled": "boolean",
    },
    "marts.fct_kpi_validation_queries": {
        "quarter_start": "date",
        "pct_code": "varchar",
        "return_type": "varchar",
        "query_code": "varchar",
        "query": "varchar",
    },
}


def create_empty_dq_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Create every data-quality mart the statement reads, empty (a clean warehouse)."""
    con.execute("create schema if not exists marts")
    for table, columns in DQ_MARTS.items():
        cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(f"create table {table} ({cols})")


# The report models (models/marts/reports/) as dbt compiled them for the test build:
# `make test` runs `make test-build` before pytest, so the hand-made marts above get the
# statement's report tables from the real model SQL, not from a copy of it.
REPORTS_SQL_DIR = (
    PROJECT_ROOT / "target/test-run/dbt-target/compiled/iapt_warehouse/models/marts/reports"
)
_RELATION = re.compile(r'"[^"]+"\."(\w+)"\."(\w+)"')


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def build_report_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create marts.rpt_* from the compiled report models over the hand-made tables of
    `con` (run after the marts are filled). A report model whose input tables the
    warehouse lacks is left out, as the statement then reads nothing there. Returns the
    report tables created."""
    paths = sorted(REPORTS_SQL_DIR.glob("rpt_*.sql"))
    if not paths:
        pytest.fail(f"no compiled report models in {REPORTS_SQL_DIR}: run `make test-build`")
    created = []
    for path in paths:
        sql = path.read_text(encoding="utf-8")
        inputs = set(_RELATION.findall(sql))
        if not all(_exists(con, schema, name) for schema, name in inputs):
            continue
        local = _RELATION.sub(r"\1.\2", sql)  # "<database>"."marts"."x" -> marts.x
        con.execute(f"create or replace table marts.{path.stem} as {local}")
        created.append(path.stem)
    return created
