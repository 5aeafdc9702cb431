"""The data-quality statement: a readable summary of the warehouse's data quality.

`write_data_quality_statement(warehouse, out_dir)` writes `data_quality_statement.md`, a
self-contained `data_quality_statement.html` (inline CSS, no external resources),
`data_quality_vodim.csv`, `data_quality_completeness.csv` and `data_quality_issues.csv`.
It reads aggregate tables only (marts.fct_data_quality_*, rejections, reconciliation,
submissions, KPI validation queries): counts and percentages, never a patient-level value.
"""

from __future__ import annotations

import csv
import html
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from iapt_tools.publication.disclosure import MeasureType, MeasureValue, disclose
from iapt_tools.settings import PROJECT_ROOT, Settings

VALID_THRESHOLD = 90.0
MAX_LISTED_SUPERSESSIONS = 200
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

ITEM_LABELS = {
    "gender_code": "Gender",
    "ethnic_category": "Ethnic category",
    "lsoa_2011": "LSOA of residence",
    "source_of_referral": "Source of referral",
    "end_code": "End code (discharged referrals)",
    "commissioner_code": "Commissioner code",
    "age_at_referral": "Age at referral",
    "discharge_date": "Discharge date not before referral",
    "presenting_complaint_code": "Presenting complaint",
    "presenting_complaint_significance": "Presenting complaint significance",
    "appointment_type": "Appointment type",
    "attendance_code": "Attendance",
    "consultation_mechanism": "Consultation mechanism",
    "therapy_type": "Therapy type (where recorded)",
    "care_contact_date": "Care contact date in period",
    "questionnaire_code": "Questionnaire",
    "score": "Score within the questionnaire's range",
    "score_date": "Score date in period",
    "employment_status": "Employment status",
    "ssp_indicator": "Statutory sick pay indicator",
    "benefit_indicator": "Benefit indicator",
    "employment_status_date": "Employment status date in period",
}

KIND_LABELS = {
    "unreadable_file": "File that cannot be read (not a file, dangling link)",
    "misnamed_file": "File named like a contract file only when case is ignored",
    "empty_file": "Empty file, or required file without data rows",
    "bad_encoding": "File or line not UTF-8",
    "duplicate_column": "Header naming a column twice",
    "blank_line": "Blank line",
    "unterminated_quote": "Line with an unterminated quote",
    "malformed_row": "Line with more or fewer fields than the header",
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


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


Block = tuple[str, Any]  # ("h1"|"h2"|"p"|"ul"|"table", content)


def _pct(value: Any) -> str:
    return "" if value is None else f"{float(value):.1f}%"


def _count(value: Any) -> str:
    return "" if value is None else f"{int(value):,}"


def _label(item: str) -> str:
    return ITEM_LABELS.get(item, item)


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


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
        "select issue_kind, any_value(issue_category), sum(row_count), sum(occurrence_count),"
        " sum(file_count) from marts.fct_data_quality_issues"
        " group by issue_kind order by issue_kind",
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
    blocks: list[Block] = [("h2", "What was checked")]
    blocks.append(
        (
            "p",
            "Every raw row is either accepted into staging or rejected with a reason, and "
            "each file reconciles raw rows = accepted + rejected. Accepted rows are then "
            "validated with Great Expectations suites (one per raw table, generated from "
            "the seeded code lists) on aggregated frames: code lists, dates in the "
            "reporting period, scores within each questionnaire's range, keys unique "
            "within a submission, and links between tables. Each key data item is "
            "classified as Valid, Other, Default (a 'not stated / not known' code), "
            "Invalid or Missing (VODIM) per provider and month.",
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
                ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
            ]
        )
    if rows:
        blocks.append(("table", Table(["Raw table", "Expectations", "By kind"], rows)))
    return blocks


def _national_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [("h2", "National picture")]
    rows = _query(
        con,
        """
        select source_table, data_item, sum(total_rows), sum(valid_count), sum(other_count),
            sum(default_count), sum(invalid_count), sum(missing_count)
        from marts.fct_data_quality_vodim
        where is_used_submission and source_table <> 'kpi_returns'
        group by source_table, data_item
        order by source_table, data_item
        """,
    )
    if not rows:
        blocks.append(("p", "No record-level data in the warehouse."))
    else:
        blocks.append(
            (
                "p",
                "Key data items over the submissions used for the statistics (superseded "
                "submissions excluded), as a percentage of the rows checked.",
            )
        )
        table_rows = []
        for table, item, total, *counts in rows:
            pcts = [100.0 * c / total if total else None for c in counts]
            table_rows.append([table, _label(item), _count(total), *map(_pct, pcts)])
        blocks.append(
            (
                "table",
                Table(
                    [
                        "Table",
                        "Data item",
                        "Rows",
                        "Valid",
                        "Other",
                        "Default",
                        "Invalid",
                        "Missing",
                    ],
                    table_rows,
                ),
            )
        )
    completeness = _query(
        con,
        """
        select sum(finished_referrals), sum(with_paired_scores), sum(with_problem_descriptor),
            sum(with_valid_commissioner)
        from marts.fct_data_quality_completeness
        """,
    )[0]
    if completeness[0]:
        finished = completeness[0]
        blocks.append(("h3", "Completeness of finished courses of treatment (M076)"))
        blocks.append(
            (
                "table",
                Table(
                    ["Measure", "Finished courses", "Count", "Percentage"],
                    [
                        [label, _count(finished), _count(n), _pct(100.0 * n / finished)]
                        for label, n in zip(
                            [
                                "With paired scores (M202)",
                                "With a recorded problem descriptor",
                                "With a valid commissioner",
                            ],
                            completeness[1:],
                            strict=True,
                        )
                    ],
                ),
            )
        )
    return blocks


def _provider_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    has_names = _exists(con, "reference.org_iapt_providers")
    name_sql = (
        "(select any_value(provider_name) from reference.org_iapt_providers as o"
        " where o.provider_code = v.provider_code)"
        if has_names
        else "cast(null as varchar)"
    )
    rows = _query(
        con,
        f"""
        with v as (
            select provider_code, source_table, data_item, sum(total_rows) as total_rows,
                sum(valid_count) as valid_count
            from marts.fct_data_quality_vodim
            where is_used_submission and source_table <> 'kpi_returns'
            group by provider_code, source_table, data_item
        )
        select provider_code, {name_sql} as provider_name, source_table, data_item,
            total_rows, valid_count
        from v
        where total_rows > 0 and 100.0 * valid_count / total_rows < {VALID_THRESHOLD}
        order by provider_code, source_table, data_item
        """,
    )
    blocks: list[Block] = [("h2", f"Providers below {VALID_THRESHOLD:g}% valid on a key item")]
    if not rows:
        blocks.append(
            (
                "p",
                f"Every provider is at or above {VALID_THRESHOLD:g}% valid on every key data item.",
            )
        )
        return blocks
    providers = sorted({r[0] for r in rows})
    blocks.append(
        (
            "p",
            f"{len(providers)} provider(s) have fewer than {VALID_THRESHOLD:g}% valid values "
            "on at least one key data item (all months of the used submissions together; "
            "'Default' codes such as 'not stated' are not counted as valid).",
        )
    )
    blocks.append(
        (
            "table",
            Table(
                ["Provider", "Provider name", "Table", "Data item", "Rows", "Valid"],
                _disclosed_provider_rows(rows),
            ),
        )
    )
    return blocks


def _disclosed_provider_rows(rows: list[tuple]) -> list[list[str]]:
    """Provider-level counts follow the release's disclosure rules (publication/
    disclosure.py): rows rounded to 5 (1-4 as *), the valid share * below 5 either way."""
    values = []
    for *_names, total, valid in rows:
        values.append(MeasureValue(MeasureType.COUNT, "Provider", total, total))
        values.append(
            MeasureValue(MeasureType.PERCENTAGE, "Provider", 100.0 * valid / total, valid, total)
        )
    texts = disclose(values)
    return [
        [p, n or "", t, _label(i), texts[2 * k], texts[2 * k + 1] + ("%" if texts[2 * k + 1]
         not in ("*", "") else "")]
        for k, (p, n, t, i, _total, _valid) in enumerate(rows)
    ]  # fmt: skip


def _supersession_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [("h2", "Supersessions")]
    counts = _query(
        con,
        "select selection_reason, count(*) from marts.dim_submissions"
        " group by selection_reason order by selection_reason",
    )
    if not counts:
        blocks.append(("p", "No submissions in the warehouse."))
        return blocks
    blocks.append(
        ("table", Table(["Selection", "Submissions"], [[r, _count(n)] for r, n in counts]))
    )
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
        blocks.append(("h3", "Primaries replaced by refreshes"))
        shown = replaced[:MAX_LISTED_SUPERSESSIONS]
        blocks.append(
            (
                "table",
                Table(
                    ["Provider", "Month", "Primary submission", "Replaced by"],
                    [list(map(str, r)) for r in shown],
                ),
            )
        )
        if len(replaced) > MAX_LISTED_SUPERSESSIONS:
            blocks.append(
                (
                    "p",
                    f"Only the first {MAX_LISTED_SUPERSESSIONS} are listed; "
                    "dim_submissions in the warehouse holds them all.",
                )
            )
    return blocks


def _rejection_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [("h2", "Rejected rows")]
    recon = _query(
        con,
        "select count(*), coalesce(sum(raw_rows), 0), coalesce(sum(accepted_rows), 0),"
        " coalesce(sum(rejected_rows), 0),"
        " coalesce(sum(case when is_reconciled then 0 else 1 end), 0)"
        " from marts.fct_raw_file_reconciliation",
    )[0]
    files, raw, accepted, rejected, unreconciled = recon
    blocks.append(
        (
            "p",
            f"{_count(files)} raw files, {_count(raw)} raw rows: {_count(accepted)} accepted "
            f"and {_count(rejected)} rejected. "
            + (
                "Every file reconciles (raw = accepted + rejected)."
                if not unreconciled
                else f"{_count(unreconciled)} file(s) do NOT reconcile."
            ),
        )
    )
    rows = _query(
        con,
        "select reason_code, source_table, count(source_row_number), count(*),"
        " count(distinct source_file) from marts.fct_raw_row_rejections"
        " group by reason_code, source_table order by reason_code, source_table",
    )
    if rows:
        blocks.append(
            (
                "table",
                Table(
                    ["Reason", "Table", "Rejected rows", "Rejections", "Files"],
                    [
                        [KIND_LABELS.get(r, r) + f" ({r})", t, _count(n), _count(o), _count(f)]
                        for r, t, n, o, f in rows
                    ],
                ),
            )
        )
    else:
        blocks.append(("p", "No rows were rejected."))
    return blocks


def _issue_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [("h2", "Problems found, by kind")]
    counts = issue_counts(con)
    if not counts:
        blocks.append(
            (
                "p",
                "No problems found: no rejected rows, no flagged values and no "
                "KPI validation queries.",
            )
        )
        return blocks
    blocks.append(
        (
            "p",
            "Every kind of problem found in the input: rejections (rows not used), flags "
            "(rows kept and marked) and KPI validation queries (figures still used). The counts "
            "cover all accepted rows, including those of superseded submissions.",
        )
    )
    blocks.append(
        (
            "table",
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
            ),
        )
    )
    return blocks


def _kpi_blocks(con: duckdb.DuckDBPyConnection) -> list[Block]:
    blocks: list[Block] = [("h2", "KPI validation queries")]
    rows = _query(
        con,
        "select query_code, count(*), count(distinct pct_code), count(distinct quarter_start)"
        " from marts.fct_kpi_validation_queries group by query_code order by query_code",
    )
    if not rows:
        blocks.append(("p", "No validation queries were raised on the KPI returns."))
        return blocks
    blocks.append(
        (
            "table",
            Table(
                ["Query", "Description", "Queries", "PCTs", "Quarters"],
                [
                    [q, KIND_LABELS.get(q, q), _count(n), _count(p), _count(qs)]
                    for q, n, p, qs in rows
                ],
            ),
        )
    )
    return blocks


def _ge_blocks(warehouse: Path, results_dir: Path | None) -> list[Block]:
    """The last Great Expectations run on this warehouse, if its results are at hand."""
    if results_dir is None:
        results_dir = Settings.from_env().output_dir / "data_quality"
    summary_path = results_dir / "data_quality_run.json"
    results_path = results_dir / "data_quality_expectation_results.csv"
    blocks: list[Block] = [("h3", "Great Expectations results")]
    if not summary_path.exists() or not results_path.exists():
        return [
            *blocks,
            (
                "p",
                "No Great Expectations results were found for this warehouse "
                "(run scripts/run_data_quality.py after dbt build).",
            ),
        ]
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if Path(summary["warehouse"]).resolve() != warehouse.resolve():
        return [
            *blocks,
            (
                "p",
                "The Great Expectations results at hand are for another "
                "warehouse; run scripts/run_data_quality.py again.",
            ),
        ]
    with results_path.open(newline="", encoding="utf-8") as handle:
        outcomes = list(csv.DictReader(handle))
    failed = [o for o in outcomes if o["success"] != "True"]
    blocks.append(
        (
            "p",
            f"Run at {summary['started_at']}: {summary['expectations']} expectations, "
            f"{summary['failed_expectations']} not met, {summary['raised_exceptions']} raised "
            f"an exception, {summary['critical_problems']} critical problem(s). Every "
            "unexpected count was cross-checked against the warehouse's own flags and VODIM.",
        )
    )
    if failed:
        blocks.append(
            (
                "table",
                Table(
                    ["Table", "Check", "Severity", "Rows flagged"],
                    [
                        [
                            o["source_table"],
                            o["check_id"],
                            o["severity"],
                            _count(int(o["flagged_raw_rows"])),
                        ]
                        for o in failed
                    ],
                ),
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
    "Counts in this statement are of records and are not subject to the publication's "
    "disclosure control; they contain no patient-level values.",
]


def build_blocks(
    con: duckdb.DuckDBPyConnection,
    expectations_dir: Path,
    warehouse: Path | None = None,
    results_dir: Path | None = None,
) -> list[Block]:
    blocks: list[Block] = [
        ("h1", "Data quality statement"),
        (
            "p",
            f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} from the "
            "warehouse's aggregate data-quality tables. Counts and percentages only.",
        ),
    ]
    blocks += _checked_blocks(expectations_dir)
    if warehouse is not None:
        blocks += _ge_blocks(warehouse, results_dir)
    blocks += _national_blocks(con)
    blocks += _provider_blocks(con)
    blocks += _supersession_blocks(con)
    blocks += _rejection_blocks(con)
    blocks += _issue_blocks(con)
    blocks += _kpi_blocks(con)
    blocks += [("h2", "Limitations"), ("ul", LIMITATIONS)]
    return blocks


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|")


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + content)
        elif kind == "p":
            out.append(content)
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in content))
        elif kind == "table":
            out.append("| " + " | ".join(content.header) + " |")
            out[-1] += "\n|" + "|".join("---" for _ in content.header) + "|"
            for row in content.rows:
                out[-1] += "\n| " + " | ".join(_md_cell(c) for c in row) + " |"
        out.append("")
    return "\n".join(out)


CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;
color:#212b32;line-height:1.4}
h1{color:#005eb8}h2{border-bottom:2px solid #005eb8;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #d8dde0;padding:.3em .6em;text-align:left}
th{background:#f0f4f5}td.n{text-align:right}
"""


def to_html(blocks: list[Block]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Data quality statement</title>",
        f"<style>{CSS}</style></head><body>",
    ]
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            parts.append(f"<{kind}>{html.escape(content)}</{kind}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in content) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in content.header)
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="n">{html.escape(str(c))}</td>'
                    if str(c).replace(",", "").replace(".", "").replace("%", "").isdigit()
                    else f"<td>{html.escape(str(c))}</td>"
                    for c in row
                )
                + "</tr>"
                for row in content.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


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
    include_csvs: bool = True,
) -> list[Path]:
    """Write the statement (.md, .html) and the data-quality CSVs; return their paths.

    results_dir holds scripts/run_data_quality.py's results (default
    IAPT_OUTPUT_DIR/data_quality); they are summarised when they are for this warehouse.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        blocks = build_blocks(con, expectations_dir, warehouse, results_dir)
        md = out_dir / "data_quality_statement.md"
        md.write_text(to_markdown(blocks), encoding="utf-8")
        page = out_dir / "data_quality_statement.html"
        page.write_text(to_html(blocks), encoding="utf-8")
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
