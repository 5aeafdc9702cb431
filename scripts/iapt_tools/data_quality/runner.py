"""Run the expectation suites against the built warehouse (read-only, offline).

Great Expectations validates small aggregated frames (distinct values with row counts,
or one row per submission) built by DuckDB, never the patient-level rows. Result formats
are SUMMARY with no partial unexpected values, and only counts are written.

DuckDB builds the frames with one grouped scan per staging relation and one query per key
domain (frames.py). GX runs in one worker thread: its import and context are made while
DuckDB builds the first frames (a running query releases the GIL), and each suite is
validated while the next suite's frame is being built; results are then collected in
suite order, so the report is the same as one suite after the other.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from iapt_tools.data_quality.checks import CRITICAL, SUITES, Check
from iapt_tools.data_quality.code_lists import load_code_lists
from iapt_tools.data_quality.frames import FrameBuilder, stack
from iapt_tools.data_quality.suites import EXPECTATIONS_DIR, checks_by_id, load_suites
from iapt_tools.warehouse import connect

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 0}

REQUIRED_RELATIONS = [
    *(relation for _, relation in SUITES.values()),
    "marts.fct_data_quality_vodim",
    "marts.fct_data_quality_issues",
    "marts.fct_data_quality_completeness",
    "marts.fct_raw_row_rejections",
    "marts.fct_raw_file_reconciliation",
    "reference.org_pct_2011_12",
    "reference.org_ccg_2013_14",
    "reference.org_iapt_providers",
    "reference.code_questionnaire",
    "reference.code_presenting_complaint_significance",
]


@dataclass
class ExpectationOutcome:
    suite: str
    check_id: str
    source_table: str
    data_item: str
    check_type: str
    severity: str
    expectation_type: str
    success: bool
    raised_exception: bool
    element_count: int | None
    unexpected_count: int | None
    flagged_frame_rows: int
    flagged_raw_rows: int
    cross_check: str  # ok, mismatch, not_run


@dataclass
class RunReport:
    warehouse: str
    started_at: str
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    frame_rows: int = 0
    suite_seconds: dict[str, float] = field(default_factory=dict)
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # severity, kind, message

    def problem(self, severity: str, kind: str, message: str) -> None:
        self.problems.append({"severity": severity, "kind": kind, "message": message})

    @property
    def critical(self) -> list[dict[str, str]]:
        return [p for p in self.problems if p["severity"] == CRITICAL]

    @property
    def exceptions(self) -> int:
        return sum(o.raised_exception for o in self.outcomes)


def _raised(exception_info: dict[str, Any]) -> bool:
    """GX puts either one {raised_exception: ...} or one per metric in exception_info."""
    if not exception_info:
        return False
    if "raised_exception" in exception_info:
        return bool(exception_info["raised_exception"])
    return any(
        isinstance(v, dict) and bool(v.get("raised_exception")) for v in exception_info.values()
    )


def _existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {r[0] for r in rows}


def build_frame(con: duckdb.DuckDBPyConnection, checks: list[Check]) -> pd.DataFrame:
    """Run every check's own query and stack the results (columns are disjoint)."""
    return stack([con.execute(check.sql).df() for check in checks])


def _flag_counts(frame: pd.DataFrame, check: Check) -> tuple[int, int]:
    flag_col, rows_col = check.flag_column, check.rows_column
    if flag_col not in frame.columns:
        return 0, 0
    flags = frame[flag_col].astype("boolean").fillna(False).astype(bool)
    rows = pd.to_numeric(frame.loc[flags, rows_col], errors="coerce").fillna(0)
    return int(flags.sum()), int(rows.sum())


def _gx_context() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _validate(context: Any, name: str, suite_json: dict[str, Any], frame: pd.DataFrame) -> Any:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=name, meta=suite_json.get("meta", {}))
    for exp in suite_json["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp["meta"])
        )
    suite = context.suites.add(suite)
    source = context.data_sources.add_pandas(f"frames_{name}")
    asset = source.add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe(f"{name}_frame")
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate_{name}", data=batch, suite=suite)
    )
    return validation.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)


class _Validator:
    """GX in one worker thread: suites are validated in the order they are submitted."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx")
        self._context = self._pool.submit(_gx_context)

    def submit(self, name: str, suite_json: dict[str, Any], frame: pd.DataFrame) -> Future:
        return self._pool.submit(self._run, name, suite_json, frame)

    def _run(
        self, name: str, suite_json: dict[str, Any], frame: pd.DataFrame
    ) -> tuple[dict[str, Any], float]:
        start = time.perf_counter()
        result = _validate(self._context.result(), name, suite_json, frame).to_json_dict()
        return result, time.perf_counter() - start

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _VodimCounts:
    """fct_data_quality_vodim's invalid_count summed per (source_table, data_item), read
    with one query the first time it is needed."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._counts: dict[tuple[str, str], int] | None = None

    def invalid(self, source_table: str, data_item: str) -> int:
        if self._counts is None:
            rows = self.con.execute(
                "select source_table, data_item, coalesce(sum(invalid_count), 0)"
                " from marts.fct_data_quality_vodim group by source_table, data_item"
            ).fetchall()
            self._counts = {(r[0], r[1]): int(r[2]) for r in rows}
        return self._counts.get((source_table, data_item), 0)


@dataclass
class _SuiteRun:
    name: str
    unknown: set[str]
    frame: pd.DataFrame | None = None
    error: duckdb.Error | None = None
    build_seconds: float = 0.0
    validation: Future | None = None


def run_data_quality(
    warehouse: Path,
    expectations_dir: Path = EXPECTATIONS_DIR,
    seeds_dir: Path | None = None,
) -> RunReport:
    """Validate every suite; never raises for data problems, records them in the report."""
    start = time.perf_counter()
    report = RunReport(
        warehouse=str(warehouse), started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    )
    if not warehouse.exists():
        report.problem(CRITICAL, "missing_warehouse", f"{warehouse} does not exist")
        return _finish(report, start)
    cl = load_code_lists(seeds_dir) if seeds_dir else load_code_lists()
    checks = checks_by_id(cl)
    suites = load_suites(expectations_dir)
    config = {
        "threads": int(os.environ.get("IAPT_DUCKDB_THREADS", "2")),
        "memory_limit": os.environ.get("IAPT_DUCKDB_MEMORY_LIMIT", "12GB"),
    }
    con = connect(warehouse, config)
    validator: _Validator | None = None
    try:
        existing = _existing_relations(con)
        missing = [r for r in REQUIRED_RELATIONS if r not in existing]
        for relation in missing:
            report.problem(CRITICAL, "missing_table", f"{relation} is not in the warehouse")
        validator = _Validator()
        runs: list[tuple[_SuiteRun, list[Check]]] = []
        for name, suite_json in suites.items():
            if SUITES[name][1] in missing:
                continue
            ids = dict.fromkeys(e["meta"]["check_id"] for e in suite_json["expectations"])
            unknown = {e["meta"]["check_id"] for e in suite_json["expectations"]} - set(checks)
            runs.append((_SuiteRun(name, unknown), [checks[i] for i in ids if i in checks]))
        builder = FrameBuilder(con, [c for _, suite_checks in runs for c in suite_checks])
        for run, suite_checks in runs:
            build_start = time.perf_counter()
            try:
                run.frame = builder.suite_frame(suite_checks)
            except duckdb.Error as exc:
                run.error = exc
            run.build_seconds = time.perf_counter() - build_start
            if run.frame is not None:
                run.validation = validator.submit(run.name, suites[run.name], run.frame)
        builder.close()
        vodim = _VodimCounts(con)
        for run, _ in runs:
            for check_id in sorted(run.unknown):
                report.problem(CRITICAL, "stale_suite", f"{run.name}: unknown check {check_id}")
            if run.frame is None or run.validation is None:
                report.problem(CRITICAL, "frame_query_failed", f"{run.name}: {run.error}")
                continue
            report.frame_rows += len(run.frame)
            result, validate_seconds = run.validation.result()
            _collect(report, vodim, run.name, result, run.frame, checks)
            report.suite_seconds[run.name] = round(run.build_seconds + validate_seconds, 2)
        _run_level_checks(report, con, existing)
    finally:
        if validator is not None:
            validator.close()
        con.close()
    return _finish(report, start)


def _collect(
    report: RunReport,
    vodim_counts: _VodimCounts,
    suite: str,
    result: dict[str, Any],
    frame: pd.DataFrame,
    checks: dict[str, Check],
) -> None:
    for item in result["results"]:
        config = item["expectation_config"]
        check = checks[config["meta"]["check_id"]]
        raised = _raised(item.get("exception_info") or {})
        stats = item.get("result") or {}
        flagged_frame, flagged_raw = _flag_counts(frame, check)
        unexpected = stats.get("unexpected_count")
        if raised:
            cross = "not_run"
            report.problem(
                CRITICAL,
                "expectation_exception",
                f"{suite}/{check.check_id}: {config['type']} raised an exception",
            )
        elif unexpected is None:
            cross = "ok" if (not item["success"]) == (flagged_frame > 0) else "mismatch"
        else:
            cross = "ok" if int(unexpected) == flagged_frame else "mismatch"
        if cross == "ok" and check.vodim_item:
            vodim = vodim_counts.invalid(*check.vodim_item)
            if vodim != flagged_raw:
                cross = "mismatch"
                report.problem(
                    CRITICAL,
                    "vodim_mismatch",
                    f"{check.check_id}: {flagged_raw} invalid rows in the frame,"
                    f" {vodim} in fct_data_quality_vodim",
                )
        elif cross == "mismatch":
            report.problem(
                CRITICAL,
                "cross_check_mismatch",
                f"{check.check_id}: GX unexpected {unexpected}, warehouse flags {flagged_frame}",
            )
        if not item["success"] and not raised:
            report.problem(
                check.severity,
                "expectation_failed",
                f"{check.check_id}: {check.description} ({flagged_raw} rows)",
            )
        report.outcomes.append(
            ExpectationOutcome(
                suite=suite,
                check_id=check.check_id,
                source_table=check.source_table,
                data_item=check.data_item,
                check_type=check.check_type,
                severity=check.severity,
                expectation_type=config["type"],
                success=bool(item["success"]),
                raised_exception=raised,
                element_count=stats.get("element_count"),
                unexpected_count=unexpected,
                flagged_frame_rows=flagged_frame,
                flagged_raw_rows=flagged_raw,
                cross_check=cross,
            )
        )


def _run_level_checks(
    report: RunReport, con: duckdb.DuckDBPyConnection, existing: set[str]
) -> None:
    if "marts.fct_raw_file_reconciliation" in existing:
        row = con.execute(
            "select count(*), coalesce(sum(case when is_reconciled then 0 else 1 end), 0)"
            " from marts.fct_raw_file_reconciliation"
        ).fetchone()
        if row and row[1]:
            report.problem(
                CRITICAL,
                "reconciliation_failed",
                f"{row[1]} of {row[0]} raw files do not reconcile"
                " (raw rows <> accepted + rejected)",
            )
    if "marts.fct_data_quality_vodim" in existing:
        row = con.execute(
            "select coalesce(sum(unclassified_count), 0) from marts.fct_data_quality_vodim"
        ).fetchone()
        if row and row[0]:
            report.problem(
                CRITICAL, "unclassified_validity", f"{row[0]} values have a validity outside VODIM"
            )


def _finish(report: RunReport, start: float) -> RunReport:
    report.seconds = round(time.perf_counter() - start, 2)
    report.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def write_results(report: RunReport, out_dir: Path) -> list[Path]:
    """Write the run summary (JSON) and one CSV row per expectation: counts only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = out_dir / "data_quality_run.json"
    payload = {
        "warehouse": report.warehouse,
        "started_at": report.started_at,
        "seconds": report.seconds,
        "peak_rss_mb": report.peak_rss_mb,
        "frame_rows": report.frame_rows,
        "suite_seconds": report.suite_seconds,
        "expectations": len(report.outcomes),
        "failed_expectations": sum(not o.success for o in report.outcomes),
        "raised_exceptions": report.exceptions,
        "critical_problems": len(report.critical),
        "problems": report.problems,
    }
    summary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    results = out_dir / "data_quality_expectation_results.csv"
    fields = list(ExpectationOutcome.__dataclass_fields__)
    with results.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for outcome in report.outcomes:
            writer.writerow(asdict(outcome))
    return [summary, results]
