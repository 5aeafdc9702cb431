"""The data-quality statement: a readable summary of the warehouse's data quality.

`write_data_quality_statement(warehouse, out_dir)` writes `data_quality_statement.md`, a
self-contained `data_quality_statement.html` (inline CSS, no external resources; both
rendered from `build_document` by `document.render`, templates statement.*.j2),
`data_quality_vodim.csv`, `data_quality_completeness.csv` and `data_quality_issues.csv`.
Every number comes from dbt: the report models marts.rpt_data_quality__* (one per
section, models/marts/reports/) hold the counts of every reporting month, and this module
only selects the rows of its month and formats them (the CSVs are the data-quality marts
as they are). Counts and percentages, never a patient-level value. The statement is
titled with its release and reporting month; coverage, VODIM and completeness are for
that month and the financial year to date. Counts of records and people and the
percentages built on them pass through the publication's disclosure rules
(`publication.disclosure`), applied by DuckDB to the report models' counts.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.data_quality import items
from iapt_tools.document import render
from iapt_tools.document.model import Block, Bullets, Document, Heading, Paragraph, Table
from iapt_tools.publication import disclosure
from iapt_tools.raw_contract import project_vars
from iapt_tools.settings import PROJECT_ROOT, Settings
from iapt_tools.warehouse import connect

# the thresholds the report models use (dbt_project.yml vars: data_quality_statement)
STATEMENT_VARS = project_vars()["data_quality_statement"]
VALID_THRESHOLD = STATEMENT_VARS["valid_threshold_pct"]
MAX_LISTED_SUPERSESSIONS = 200
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
RELEASE_NAME = "NHS Talking Therapies (IAPT) statistics"
COVERAGE_MONTHS = STATEMENT_VARS["coverage_window_months"]
# record-level tables in contract order (the order of the VODIM tables)
TABLE_ORDER = [
    "IDS001_MPI",
    "IDS101_Referral",
    "IDS603_PresentingComplaints",
    "IDS201_CareContact",
    "IDS606_CodedScoreAssessment",
    "IDS004_EmpStatus",
]
VODIM = ["valid", "other", "default", "invalid", "missing"]
SUPPRESSION_NOTE = (
    "* = suppressed: a percentage whose count or total is below 5 (none included), or a "
    "provider count of 1 to 4, as in measures.csv (disclosure control, docs/publication.md)."
)

KIND_LABELS = {
    "unreadable_file": "File that cannot be read (not a file, dangling link)",
    "misnamed_file": "File named like a contract file only when case is ignored",
    "empty_file": "Empty file, or required file without data rows",
    "bad_encoding": "File or line not UTF-8",
    "duplicate_column": "Header naming a column twice",
    "blank_line": "Blank line",
    "unterminated_quote": "Line with an unterminated quote",
    "malformed_row": "Line with more or fewer fields than the header",
    "unread_line": "Line the CSV reader did not return (reader fault)",
    "missing_header": "Submission folder without a header file",
    "bad_header_row_count": "Header file with 0 or more than 1 rows",
    "bad_reporting_period": "Header period not one calendar month",
    "duplicate_submission_id": "Folder re-using another folder's UniqueSubmissionID",
    "missing_file": "Submission missing one of the seven files",
    "missing_column": "File missing a required column",
    "unparseable_value": "Unparseable date, timestamp or number",
    "missing_value": "Missing required value",
    "missing_key": "Missing key",
    "submission_id_mismatch": "UniqueSubmissionID differs from the folder's header",
    "duplicate_key": "Duplicate key within a submission",
    "orphan_event": "Event whose referral is not in the submission",
    "unknown_nil_return": "KPI return with NilReturn not Y, N or empty",
    "unknown_org_code": "KPI return with an unknown OrgCode",
    "unparseable_quarter": "KPI return with an unparseable Quarter",
    "unknown_return_type": "KPI return with an unknown ReturnType",
    "late_resubmission": "Second or later KPI resubmission",
    "invalid_code": "Code outside its code list (kept, flagged invalid)",
    "score_out_of_range": "Score outside the questionnaire's range (kept, excluded)",
    "out_of_period_event": "Event dated outside its reporting month (kept, excluded)",
    "discharge_before_referral": "Discharge date before referral date (treated as open)",
    "event_outside_referral_window": "Contact or score outside the referral's dates",
    "negative_count": "KPI return with a negative count",
    "recovery_exceeds_eligible": "MovedToRecovery > CompletedTreatment - NotAtCasenessAtStart",
    "not_at_caseness_exceeds_completed": "NotAtCasenessAtStart > CompletedTreatment",
    "missing_level_of_need": "KPI return without LevelOfNeed",
    "unknown_count": "Empty count in a non-nil KPI return",
    "missing_return": "PCT with no KPI return for a quarter",
    "superseded_original": "KPI Original superseded by a later Original",
}


def _pct(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f}%"


def _count(value: Any) -> str:
    return "" if value is None else f"{int(value):,}"


def _month_label(month: str) -> str:
    """'2013-05' -> 'May 2013'."""
    return time.strftime("%B %Y", time.strptime(month + "-01", "%Y-%m-%d"))


def _fy_start(month: str) -> str:
    """The first month of the financial year (April) holding month, as YYYY-MM."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year if mon >= 4 else year - 1}-04"


def _count_sql(expr: str, group: str) -> str:
    """The published text of a count (England unrounded; providers rounded / suppressed)."""
    return disclosure.published_value_sql(
        measure_type=f"'{disclosure.MeasureType.COUNT}'",
        group_type=f"'{group}'",
        measure_value=f"cast({expr} as double)",
        numerator="cast(null as double)",
        denominator="cast(null as double)",
        is_change_on_previous="false",
    )


def _pct_sql(numerator: str, denominator: str, group: str) -> str:
    """The published text of 100 x numerator / denominator (* when either is below 5)."""
    return disclosure.published_value_sql(
        measure_type=f"'{disclosure.MeasureType.PERCENTAGE}'",
        group_type=f"'{group}'",
        measure_value="cast(null as double)",
        numerator=f"cast({numerator} as double)",
        denominator=f"cast({denominator} as double)",
        is_change_on_previous="false",
    )


def _shown_pct(text: Any) -> str:
    """A disclosed percentage for display: '12.5' -> '12.5%', '*' stays."""
    if text is None:
        return ""
    return text if text == disclosure.SUPPRESSED else f"{text}%"


def _shown_count(text: Any) -> str:
    """A disclosed count for display, with thousands separators."""
    if text is None or text == disclosure.SUPPRESSED:
        return "" if text is None else text
    return f"{int(text):,}"


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _yyyy_mm(value: Any) -> str:
    """A date from the warehouse as YYYY-MM."""
    return value.strftime("%Y-%m")


def _exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, name = relation.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def issue_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Rows affected and occurrences per issue kind (all source tables together)."""
    rows = _query(
        con,
        "select issue_kind, issue_category, row_count, occurrence_count, file_count"
        " from marts.rpt_data_quality__issues order by issue_kind",
    )
    return {
        kind: {
            "category": category,
            "rows": int(n_rows),
            "occurrences": int(n_occ),
            "files": None if n_files is None else int(n_files),
        }
        for kind, category, n_rows, n_occ, n_files in rows
    }


def _checked_blocks(expectations_dir: Path) -> list[Block]:
    blocks: list[Block] = [Heading("What was checked")]
    blocks.append(
        Paragraph(
            "Every raw row is either accepted into staging or rejected with a reason, and "
            "each file reconciles raw rows = accepted + rejected. Accepted rows are then "
            "validated with Great Expectations suites (one per raw table, generated from "
            "the seeded code lists) on aggregated frames: code lists, dates in the "
            "reporting period, scores within each questionnaire's range, keys unique "
            "within a submission, and links between tables. Each key data item is "
            "classified as Valid, Other, Default (a 'not stated / not known' code), "
            "Invalid or Missing (VODIM) per provider and month."
        )
    )
    rows = []
    for path in sorted(expectations_dir.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        kinds: dict[str, int] = {}
        for exp in suite["expectations"]:
            kind = exp["meta"]["check_type"]
            kinds[kind] = kinds.get(kind, 0) + 1
        rows.append(
            [
                suite["meta"]["source_table"],
                len(suite["expectations"]),
                ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(kinds.items())),
            ]
        )
    if rows:
        blocks.append(Table(["Raw table", "Expectations", "By kind"], rows))
    return blocks


def _provider_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not _exists(con, "reference.org_iapt_providers"):
        return {}
    # provider_code is unique in the seed (its data test)
    rows = _query(con, "select provider_code, provider_name from reference.org_iapt_providers")
    return {code: name for code, name in rows}


def reporting_month(con: duckdb.DuckDBPyConnection, requested: str | None = None) -> str | None:
    """The statement's month (YYYY-MM): the one asked for, else the report model's default
    (the build's as-at month, else the latest record-level VODIM month)."""
    if requested:
        return requested
    if _exists(con, "marts.rpt_data_quality__reporting_month"):
        row = con.execute(
            "select default_reporting_month from marts.rpt_data_quality__reporting_month"
        ).fetchone()
        if row and row[0]:
            return _yyyy_mm(row[0])
    return None


def _coverage_blocks(
    con: duckdb.DuckDBPyConnection, month: str | None, names: dict[str, str]
) -> list[Block]:
    blocks: list[Block] = [Heading("Submission coverage")]
    if month is None or not _exists(con, "marts.rpt_data_quality__coverage"):
        return [*blocks, Paragraph("No record-level submissions in the warehouse.")]
    rows = [
        (_yyyy_mm(r[0]), *r[1:])
        for r in _query(
            con,
            f"""
            select reporting_period_start, providers_expected, providers_submitting,
                providers_primary_used, providers_refresh_used, providers_missing,
                coverage_share, missing_provider_codes
            from marts.rpt_data_quality__coverage
            where statement_month = cast('{month}-01' as date)
            order by reporting_period_start desc
            """,
        )
    ]
    current = rows[0] if rows and rows[0][0] == month else None
    if current is None:
        return [*blocks, Paragraph(f"No record-level submissions for {_month_label(month)}.")]
    _, expected, submitting, primary, refresh, _, share, codes = current
    text = (
        f"In {_month_label(month)}, {submitting:,} of the {expected:,} providers expected "
        f"submitted ({_pct(100 * share) if share is not None else 'n/a'}): "
        f"{primary:,} with a Primary and {refresh:,} with a Refresh submission used."
    )
    if codes:
        listed = [f"{c} ({names[c]})" if c in names else c for c in codes.split(", ")]
        text += f" Missing: {', '.join(listed)}."
    blocks.append(Paragraph(text))
    blocks.append(
        Paragraph(
            "A provider is expected in a month when it has a used submission for that month "
            "or any of the 11 months before it; a submission rejected whole does not count. "
            "Coverage is relative to the providers seen in the data, not to every service "
            f"in England. The {COVERAGE_MONTHS} months up to {_month_label(month)}, "
            "latest first:"
        )
    )
    blocks.append(
        Table(
            [
                "Month",
                "Providers expected",
                "Submitted",
                "Primary used",
                "Refresh used",
                "Missing",
                "Coverage",
                "Missing providers",
            ],
            [
                [
                    _month_label(m),
                    _count(e),
                    _count(s),
                    _count(p),
                    _count(r),
                    _count(x),
                    "" if sh is None else _pct(100 * sh),
                    c or "",
                ]
                for m, e, s, p, r, x, sh, c in rows
            ],
        )
    )
    return blocks


def _vodim_cells(prefix: str, group: str) -> str:
    """Disclosed rows and VODIM percentages of one period (prefix '' or 'ytd_')."""
    cells = [_count_sql(f"{prefix}total_rows", group)]
    cells += [_pct_sql(f"{prefix}{v}_count", f"{prefix}total_rows", group) for v in VODIM]
    return ", ".join(cells)


def _table_rank(source_table: str) -> int:
    return TABLE_ORDER.index(source_table) if source_table in TABLE_ORDER else len(TABLE_ORDER)


def _national_blocks(
    con: duckdb.DuckDBPyConnection, month: str | None, labels: dict[tuple[str, str], str]
) -> list[Block]:
    blocks: list[Block] = [Heading("National picture")]
    rows = []
    if month is not None and _exists(con, "marts.rpt_data_quality__key_items"):
        rows = _query(
            con,
            f"""
            select source_table, data_item, {_vodim_cells("", "England")},
                {_vodim_cells("ytd_", "England")}
            from marts.rpt_data_quality__key_items
            where group_type = 'England'
                and reporting_period_start = cast('{month}-01' as date)
            """,
        )
    if not rows:
        blocks.append(Paragraph("No record-level data in the warehouse for the reporting month."))
    else:
        assert month is not None
        ytd = f"{_month_label(_fy_start(month))} to {_month_label(month)}"
        blocks.append(
            Paragraph(
                f"Key data items in {_month_label(month)} and in the financial year to date "
                f"(YTD: {ytd}), over the submissions used for the statistics (superseded "
                "submissions excluded): rows checked, and the percentage of them Valid, "
                "Other, Default (a 'not stated / not known' code), Invalid or Missing. "
                + SUPPRESSION_NOTE
            )
        )
        rows.sort(key=lambda r: (_table_rank(r[0]), items.item_name(labels, r[0], r[1])))
        heads = ["Rows", "Valid", "Other", "Default", "Invalid", "Missing"]
        blocks.append(
            Table(
                ["Data item", f"Rows {_month_label(month)}", *heads[1:]]
                + [f"{h} YTD" for h in heads],
                [
                    [
                        items.item_name(labels, t, i),
                        _shown_count(m[0]),
                        *map(_shown_pct, m[1:6]),
                        _shown_count(m[6]),
                        *map(_shown_pct, m[7:12]),
                    ]
                    for t, i, *m in rows
                ],
            )
        )
    blocks += _completeness_blocks(con, month)
    return blocks


def _completeness_blocks(con: duckdb.DuckDBPyConnection, month: str | None) -> list[Block]:
    if month is None:
        return []
    cells = []
    for prefix in ("month_", "ytd_"):
        cells.append(_count_sql(f"{prefix}finished_referrals", "England"))
        cells += [
            _pct_sql(f"{prefix}{part}", f"{prefix}finished_referrals", "England")
            for part in ("with_paired_scores", "with_problem_descriptor", "with_valid_commissioner")
        ]
    found = _query(
        con,
        f"""
        select {", ".join(cells)} from marts.rpt_data_quality__completeness
        where statement_month = cast('{month}-01' as date)
        """,
    )
    # no row: no course of treatment finished in the financial year to date
    if not found or found[0][4] == "0":
        return []
    row = found[0]
    month_finished, ytd_finished = _shown_count(row[0]), _shown_count(row[4])
    return [
        Heading("Completeness of finished courses of treatment (M076)", 3),
        Table(
            [
                "Measure",
                f"{_month_label(month)} ({month_finished} finished)",
                f"Year to date ({ytd_finished} finished)",
            ],
            [
                [label, _shown_pct(row[1 + k]), _shown_pct(row[5 + k])]
                for k, label in enumerate(
                    [
                        "With paired scores (M202)",
                        "With a recorded problem descriptor",
                        "With a valid commissioner",
                    ]
                )
            ],
        ),
    ]


def _provider_blocks(
    con: duckdb.DuckDBPyConnection,
    month: str | None,
    labels: dict[tuple[str, str], str],
    names: dict[str, str],
) -> list[Block]:
    blocks: list[Block] = [Heading(f"Providers below {VALID_THRESHOLD:g}% valid on a key item")]
    if month is None or not _exists(con, "marts.rpt_data_quality__key_items"):
        return [*blocks, Paragraph("No record-level data in the warehouse.")]
    rows = _query(
        con,
        f"""
        select provider_code, source_table, data_item,
            {_count_sql("total_rows", "Provider")},
            {_pct_sql("valid_count", "total_rows", "Provider")},
            {_count_sql("ytd_total_rows", "Provider")},
            {_pct_sql("ytd_valid_count", "ytd_total_rows", "Provider")},
            month_providers_below_valid_threshold
        from marts.rpt_data_quality__key_items
        where group_type = 'Provider'
            and reporting_period_start = cast('{month}-01' as date)
            and is_below_valid_threshold
        """,
    )
    if not rows:
        blocks.append(
            Paragraph(
                f"In {_month_label(month)} every provider is at or above "
                f"{VALID_THRESHOLD:g}% valid on every key data item."
            )
        )
        return blocks
    rows.sort(key=lambda r: (r[0], _table_rank(r[1]), items.item_name(labels, r[1], r[2])))
    providers = rows[0][-1]
    blocks.append(
        Paragraph(
            f"In {_month_label(month)}, {providers} provider(s) have fewer than "
            f"{VALID_THRESHOLD:g}% valid values on at least one key data item ('Default' "
            "codes such as 'not stated' are not counted as valid); the financial year to "
            "date beside it. Row counts are rounded to the nearest 5. " + SUPPRESSION_NOTE
        )
    )
    blocks.append(
        Table(
            [
                "Provider",
                "Provider name",
                "Data item",
                f"Rows {_month_label(month)}",
                f"Valid {_month_label(month)}",
                "Rows YTD",
                "Valid YTD",
            ],
            [
                [
                    p,
                    names.get(p, ""),
                    items.item_name(labels, t, i),
                    _shown_count(n),
                    _shown_pct(v),
                    _shown_count(yn),
                    _shown_pct(yv),
                ]
                for p, t, i, n, v, yn, yv, _ in rows
            ],
        )
    )
    return blocks


def _supersession_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [Heading("Supersessions")]
    counts = _query(
        con,
        "select selection_reason, submissions from marts.rpt_data_quality__supersessions"
        " order by selection_reason",
    )
    if not counts:
        blocks.append(Paragraph("No submissions in the warehouse."))
        return blocks
    blocks.append(Table(["Selection", "Submissions"], [[r, _count(n)] for r, n in counts]))
    replaced = _query(
        con,
        f"""
        select provider_code, strftime(reporting_period_start, '%Y-%m'), unique_submission_id,
            superseded_by_submission_id
        from marts.dim_submissions
        where selection_reason = 'superseded by refresh'
        order by provider_code, reporting_period_start, unique_submission_id
        limit {MAX_LISTED_SUPERSESSIONS + 1}
        """,
    )
    if replaced:
        blocks.append(Heading("Primaries replaced by refreshes", 3))
        shown = replaced[:MAX_LISTED_SUPERSESSIONS]
        blocks.append(
            Table(
                ["Provider", "Month", "Primary submission", "Replaced by"],
                [list(map(str, r)) for r in shown],
            )
        )
        if len(replaced) > MAX_LISTED_SUPERSESSIONS:
            blocks.append(
                Paragraph(
                    f"Only the first {MAX_LISTED_SUPERSESSIONS} are listed; "
                    "dim_submissions in the warehouse holds them all."
                )
            )
    return blocks


def _rejection_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [Heading("Rejected rows")]
    recon = _query(
        con,
        "select raw_files, raw_rows, accepted_rows, rejected_rows, unreconciled_files"
        " from marts.rpt_data_quality__reconciliation",
    )[0]
    files, raw, accepted, rejected, unreconciled = recon
    blocks.append(
        Paragraph(
            f"{_count(files)} raw files, {_count(raw)} raw rows: {_count(accepted)} accepted "
            f"and {_count(rejected)} rejected. "
            + (
                "Every file reconciles (raw = accepted + rejected)."
                if not unreconciled
                else f"{_count(unreconciled)} file(s) do NOT reconcile."
            )
        )
    )
    rows = _query(
        con,
        "select reason_code, source_table, rejected_rows, rejections, files"
        " from marts.rpt_data_quality__rejections order by reason_code, source_table",
    )
    if rows:
        blocks.append(
            Table(
                ["Reason", "Table", "Rejected rows", "Rejections", "Files"],
                [
                    [KIND_LABELS.get(r, r) + f" ({r})", t, _count(n), _count(o), _count(f)]
                    for r, t, n, o, f in rows
                ],
            )
        )
    else:
        blocks.append(Paragraph("No rows were rejected."))
    return blocks


def _issue_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [Heading("Problems found, by kind")]
    counts = issue_counts(con)
    if not counts:
        blocks.append(
            Paragraph(
                "No problems found: no rejected rows, no flagged values and no "
                "KPI validation queries."
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            "Every kind of problem found in the input: rejections (rows not used), flags "
            "(rows kept and marked) and KPI validation queries (figures still used). The counts "
            "cover all accepted rows, including those of superseded submissions."
        )
    )
    blocks.append(
        Table(
            ["Kind", "Description", "Category", "Rows affected", "Occurrences", "Files"],
            [
                [
                    k,
                    KIND_LABELS.get(k, k),
                    v["category"],
                    _count(v["rows"]),
                    _count(v["occurrences"]),
                    _count(v["files"]),
                ]
                for k, v in counts.items()
            ],
        )
    )
    return blocks


def _kpi_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [Heading("KPI validation queries")]
    rows = _query(
        con,
        "select query_code, queries, pcts, quarters from marts.rpt_data_quality__kpi_queries"
        " order by query_code",
    )
    if not rows:
        blocks.append(Paragraph("No validation queries were raised on the KPI returns."))
        return blocks
    blocks.append(
        Table(
            ["Query", "Description", "Queries", "PCTs", "Quarters"],
            [[q, KIND_LABELS.get(q, q), _count(n), _count(p), _count(qs)] for q, n, p, qs in rows],
        )
    )
    return blocks


def _ge_blocks(warehouse: Path, results_dir: Path | None) -> list[Block]:
    """The last Great Expectations run on this warehouse, if its results are at hand."""
    if results_dir is None:
        results_dir = Settings.from_env().output_dir / "data_quality"
    summary_path = results_dir / "data_quality_run.json"
    results_path = results_dir / "data_quality_expectation_results.csv"
    blocks: list[Block] = [Heading("Great Expectations results", 3)]
    if not summary_path.exists() or not results_path.exists():
        return [
            *blocks,
            Paragraph(
                "No Great Expectations results were found for this warehouse "
                "(run scripts/run_data_quality.py after dbt build)."
            ),
        ]
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if Path(summary["warehouse"]).resolve() != warehouse.resolve():
        return [
            *blocks,
            Paragraph(
                "The Great Expectations results at hand are for another "
                "warehouse; run scripts/run_data_quality.py again."
            ),
        ]
    with results_path.open(newline="", encoding="utf-8") as handle:
        outcomes = list(csv.DictReader(handle))
    failed = [o for o in outcomes if o["success"] != "True"]
    blocks.append(
        Paragraph(
            f"Run at {summary['started_at']}: {summary['expectations']} expectations, "
            f"{summary['failed_expectations']} not met, {summary['raised_exceptions']} raised "
            f"an exception, {summary['critical_problems']} critical problem(s). Every "
            "unexpected count was cross-checked against the warehouse's own flags and VODIM."
        )
    )
    if failed:
        names = items.check_names()
        blocks.append(
            Table(
                ["Data item", "Rule not met", "Severity", "Rows flagged (all months)"],
                [
                    [
                        names[o["check_id"]].item,
                        names[o["check_id"]].rule,
                        o["severity"],
                        _count(int(o["flagged_raw_rows"])),
                    ]
                    for o in failed
                ],
            )
        )
    return blocks


LIMITATIONS = [
    "Validity is checked against the code lists in the project's seeds; a code that is "
    "valid in the national data dictionary but missing from a seed is reported as invalid.",
    "VODIM percentages describe rows of the submitted files (a referral is re-sent every "
    "month while open, so it is counted in every month's file), not people.",
    "'Default' codes (not stated / not known) are reported apart from valid codes and are "
    "not counted as valid in the 90% threshold.",
    "Presenting complaints are only checked for presence; any ICD-10 code is accepted.",
    "Commissioner codes are valid when they are a 2011/12 PCT or a 2013/14 CCG; a code "
    "valid in another period's organisation list is reported as invalid.",
    "KPI returns are aggregate: their checks are on the returned figures, not on people.",
    "Disclosure control: counts of rows or courses of treatment and the percentages built "
    "on them follow the rules of measures.csv (England counts unrounded; provider counts "
    "rounded to the nearest 5, 1 to 4 shown as *; a percentage is * when its count or "
    "total is below 5, none included). Counts of providers, submissions, files, rejections "
    "and validation queries are about organisations and files, not people, and are shown "
    "as they are. The statement contains no patient-level value.",
    "Submission coverage counts the providers seen in the data: a provider that never "
    "submitted is not expected, so full coverage does not mean every service in England.",
    "Rejections, problems by kind, supersessions and the Great Expectations results cover "
    "every month in the warehouse, not only the reporting month.",
]


def title(release: str, month: str | None) -> str:
    """'Data quality statement: <release> — May 2013'."""
    when = f" — {_month_label(month)}" if month else ""
    return f"Data quality statement: {release}{when}"


def _built_from(con: duckdb.DuckDBPyConnection) -> str:
    """Which build the statement describes (marts.dim_build), not when it was written: the
    same warehouse gives the same statement, whichever engine or minute writes it."""
    prefix = "From the aggregate data-quality tables of the warehouse"
    if not _exists(con, "marts.dim_build"):
        return prefix + ". "
    built_at, invocation_id = con.execute(
        "select strftime(built_at, '%Y-%m-%d %H:%M'), invocation_id from marts.dim_build"
    ).fetchone() or (None, None)
    return f"{prefix} built {built_at} UTC (dbt invocation {invocation_id}). "


def build_document(
    con: duckdb.DuckDBPyConnection,
    expectations_dir: Path,
    warehouse: Path | None = None,
    results_dir: Path | None = None,
    release: str = RELEASE_NAME,
    month: str | None = None,
) -> Document:
    """The statement as a document (rendered by `document.render`, templates statement.*)."""
    month = reporting_month(con, month)
    labels = items.load_item_labels()
    names = _provider_names(con)
    blocks: list[Block] = [
        Paragraph(
            (f"Reporting month {_month_label(month)}. " if month else "")
            + _built_from(con)
            + "Counts and percentages only."
        ),
    ]
    blocks += _coverage_blocks(con, month, names)
    blocks += _national_blocks(con, month, labels)
    blocks += _provider_blocks(con, month, labels, names)
    blocks += _checked_blocks(expectations_dir)
    if warehouse is not None:
        blocks += _ge_blocks(warehouse, results_dir)
    blocks += _supersession_blocks(con)
    blocks += _rejection_blocks(con)
    blocks += _issue_blocks(con)
    blocks += _kpi_blocks(con)
    blocks += [Heading("Limitations"), Bullets(LIMITATIONS)]
    return Document(title(release, month), blocks)


def _write_csv(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> Path:
    cursor = con.execute(sql)
    header = [d[0] for d in cursor.description]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(cursor.fetchall())
    return path


def write_data_quality_statement(
    warehouse: Path,
    out_dir: Path,
    expectations_dir: Path = EXPECTATIONS_DIR,
    results_dir: Path | None = None,
    release: str = RELEASE_NAME,
    month: str | None = None,
    include_csvs: bool = True,
) -> list[Path]:
    """Write the statement (.md, .html) and the data-quality CSVs; return their paths.

    results_dir holds scripts/run_data_quality.py's results (default
    IAPT_OUTPUT_DIR/data_quality); they are summarised when they are for this warehouse.
    release names the release in the title (e.g. "... statistics, version 1"); month
    (YYYY-MM) is the reporting month, by default the build's as-at month. A public
    release passes include_csvs=False: the CSVs are not disclosure-controlled.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse)
    try:
        document = build_document(con, expectations_dir, warehouse, results_dir, release, month)
        md = out_dir / "data_quality_statement.md"
        md.write_text(render.to_markdown(document, "statement"), encoding="utf-8")
        page = out_dir / "data_quality_statement.html"
        page.write_text(render.to_html(document, "statement"), encoding="utf-8")
        paths = [md, page]
        if not include_csvs:
            # a public release: the provider x month counts stay in the warehouse
            return paths
        paths.append(
            _write_csv(
                con,
                "select * from marts.fct_data_quality_vodim order by provider_code,"
                " reporting_period_start, is_used_submission, source_table, data_item",
                out_dir / "data_quality_vodim.csv",
            )
        )
        paths.append(
            _write_csv(
                con,
                "select * from marts.fct_data_quality_completeness"
                " order by provider_code, discharge_month",
                out_dir / "data_quality_completeness.csv",
            )
        )
        paths.append(
            _write_csv(
                con,
                "select * from marts.fct_data_quality_issues"
                " order by issue_category, issue_kind, source_table",
                out_dir / "data_quality_issues.csv",
            )
        )
    finally:
        con.close()
    return paths
