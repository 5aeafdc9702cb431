"""Data quality: the GE runner and the statement on a small hand-made warehouse.

The warehouse below is built by hand (staging rows, then the aggregate marts with counts
worked out by hand from those rows), so the tests do not depend on the staging branch.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import duckdb
import pytest

from dq_marts_support import DQ_MARTS, VODIM_COUNTS, build_report_models
from iapt_tools.data_quality.runner import run_data_quality, write_results
from iapt_tools.data_quality_statement import issue_counts, write_data_quality_statement
from iapt_tools.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
THERAPY = "748051000000105"  # a valid therapy type (guided self-help, book)

# Patient-level values planted in the fixture: none may appear in any published file.
SECRETS = [
    "PWY-SECRET-0001",
    "PWY-SECRET-0002",
    "PAT-SECRET-01",
    "PAT-SECRET-02",
    "E01012345",
    "E01012346",
    "23.75",
]

COMMON = {
    "source_file": "varchar",
    "source_row_number": "bigint",
    "unique_submission_id": "bigint",
    "provider_code": "varchar",
    "reporting_period_start": "date",
}

HEADERS = {1: ("RAT", "Primary"), 2: ("NQ7", "Primary"), 3: ("RAT", "Refresh")}


def _table(con, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in columns.items())
    con.execute(f"create table {name} ({cols})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"insert into {name} values ({marks})", [list(r) for r in rows])


def _staged(sub: int, row: int, *values) -> tuple:
    provider = HEADERS[sub][0]
    return (f"iapt_v2/s{sub}/file.csv", row, sub, provider, "2013-04-01", *values)


def _contact(
    sub: int,
    row: int,
    contact_id: str,
    pathway_id: str,
    date: str,
    appointment_type: str,
    consultation_mechanism: str,
    therapy_type: str | None,
    *,
    invalid: str = "",
    out_of_period: bool = False,
) -> tuple:
    """A staged IDS201 row (attendance 5); `invalid` names the one invalid coded item."""

    def validity(item: str, code: str | None) -> str:
        return "missing" if code is None else "invalid" if item == invalid else "valid"

    return _staged(
        sub,
        row,
        contact_id,
        pathway_id,
        date,
        appointment_type,
        validity("appointment", appointment_type),
        "5",
        "valid",
        consultation_mechanism,
        validity("mechanism", consultation_mechanism),
        therapy_type,
        validity("therapy", therapy_type),
        out_of_period,
    )


def build_staging(con) -> None:
    for schema in ("reference", "staging", "marts"):
        con.execute(f"create schema {schema}")
    for folder, name in [
        ("organisations", "org_pct_2011_12"),
        ("organisations", "org_ccg_2013_14"),
        ("organisations", "org_ccg_legacy_to_ccg_2021"),
        ("organisations", "org_sub_icb_locations"),
        ("organisations", "org_iapt_providers"),
        ("code_lists", "code_questionnaire"),
        ("code_lists", "code_presenting_complaint_significance"),
    ]:
        path = SEEDS / folder / f"{name}.csv"
        con.execute(
            f"create table reference.{name} as select * from "
            f"read_csv('{path}', all_varchar = true, header = true)"
        )
    _table(
        con,
        "staging.stg_iapt_v2__headers",
        {
            **COMMON,
            "reporting_period_end": "date",
            "file_type": "varchar",
            "submitted_at": "timestamp",
            "data_set_version": "varchar",
            "submission_folder": "varchar",
        },
        [
            _staged(s, 1, "2013-04-30", ft, f"2013-05-0{s} 10:00:00", "2.1", f"s{s}")
            for s, (_, ft) in HEADERS.items()
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__patients",
        {
            **COMMON,
            "local_patient_id": "varchar",
            "gender_code": "varchar",
            "gender_validity": "varchar",
            "ethnic_category": "varchar",
            "ethnic_category_validity": "varchar",
            "lsoa_2011": "varchar",
        },
        [
            _staged(1, 1, "PAT-SECRET-01", "1", "valid", "A", "valid", "E01012345"),
            _staged(2, 1, "PAT-SECRET-02", "2", "valid", "Q9", "invalid", "E01012346"),
            _staged(2, 2, "PAT-SECRET-03", "2", "valid", "QQ", "invalid", None),
            _staged(3, 1, "PAT-SECRET-01", "1", "valid", "A", "valid", "E01012345"),
            _staged(3, 2, "PAT-SECRET-04", "X", "default", "Z", "default", "E01012347"),
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__referrals",
        {
            **COMMON,
            "service_request_id": "varchar",
            "pathway_id": "varchar",
            "local_patient_id": "varchar",
            "commissioner_code": "varchar",
            "referral_received_date": "date",
            "source_of_referral": "varchar",
            "source_of_referral_validity": "varchar",
            "age_at_referral": "integer",
            "discharge_date_submitted": "date",
            "discharge_date": "date",
            "is_discharge_before_referral": "boolean",
            "end_code": "varchar",
            "end_code_validity": "varchar",
        },
        [
            _staged(
                1,
                1,
                "SR1",
                "PWY-SECRET-0001",
                "PAT-SECRET-01",
                "5A3",
                "2013-03-10",
                "A1",
                "valid",
                30,
                None,
                None,
                False,
                None,
                "missing",
            ),
            _staged(
                2,
                1,
                "SR2",
                "PWY-SECRET-0002",
                "PAT-SECRET-02",
                "00C",
                "2013-02-01",
                "B1",
                "valid",
                45,
                "2013-04-20",
                "2013-04-20",
                False,
                "46",
                "valid",
            ),
            _staged(
                2,
                2,
                "SR3",
                "PWY-SECRET-0003",
                "PAT-SECRET-03",
                "XXX",
                "2013-04-02",
                "A1",
                "valid",
                200,
                "2013-03-01",
                None,
                True,
                "46",
                "valid",
            ),
            _staged(
                3,
                1,
                "SR1",
                "PWY-SECRET-0001",
                "PAT-SECRET-01",
                "5A3",
                "2013-03-10",
                "A1",
                "valid",
                30,
                "2013-04-25",
                "2013-04-25",
                False,
                "46",
                "valid",
            ),
            _staged(
                3,
                2,
                "SR4",
                "PWY-SECRET-0004",
                "PAT-SECRET-04",
                None,
                "2013-04-05",
                "ZZ9",
                "invalid",
                17,
                None,
                None,
                False,
                None,
                "missing",
            ),
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__presenting_complaints",
        {
            **COMMON,
            "pathway_id": "varchar",
            "presenting_complaint_code": "varchar",
            "presenting_complaint_significance": "varchar",
            "presenting_complaint_date": "date",
        },
        [
            _staged(2, 1, "PWY-SECRET-0002", "F32", "1", "2013-02-10"),
            _staged(3, 1, "PWY-SECRET-0001", "F411", "3", "2013-03-10"),
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__care_contacts",
        {
            **COMMON,
            "care_contact_id": "varchar",
            "pathway_id": "varchar",
            "care_contact_date": "date",
            "appointment_type": "varchar",
            "appointment_type_validity": "varchar",
            "attendance_code": "varchar",
            "attendance_code_validity": "varchar",
            "consultation_mechanism": "varchar",
            "consultation_mechanism_validity": "varchar",
            "therapy_type": "varchar",
            "therapy_type_validity": "varchar",
            "is_out_of_period": "boolean",
        },
        [
            _contact(1, 1, "CC1", "PWY-SECRET-0001", "2013-04-01", "01", "01", None),
            _contact(3, 1, "CC1", "PWY-SECRET-0001", "2013-04-01", "01", "01", None),
            _contact(3, 2, "CC2", "PWY-SECRET-0001", "2013-04-08", "02", "02", THERAPY),
            _contact(
                3,
                3,
                "CC3",
                "PWY-SECRET-0001",
                "2013-05-03",
                "02",
                "02",
                "999",
                invalid="therapy",
                out_of_period=True,
            ),
            _contact(
                2,
                1,
                "CC4",
                "PWY-SECRET-0002",
                "2013-04-10",
                "07",
                "01",
                None,
                invalid="appointment",
            ),
            _contact(2, 2, "CC5", "PWY-SECRET-0002", "2013-04-22", "02", "01", THERAPY),
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__coded_scores",
        {
            **COMMON,
            "pathway_id": "varchar",
            "care_contact_id": "varchar",
            "questionnaire_code": "varchar",
            "score": "decimal(18, 6)",
            "score_date": "date",
            "is_score_in_range": "boolean",
            "is_out_of_period": "boolean",
        },
        [
            _staged(3, 1, "PWY-SECRET-0001", "CC2", "720433000", 23.75, "2013-04-08", True, False),
            _staged(3, 2, "PWY-SECRET-0001", "CC2", "445455005", 30, "2013-04-08", False, False),
            _staged(2, 1, "PWY-SECRET-0002", "CC4", "999999", 5, "2013-04-10", None, False),
        ],
    )
    _table(
        con,
        "staging.stg_iapt_v2__employment_statuses",
        {
            **COMMON,
            "local_patient_id": "varchar",
            "employment_status": "varchar",
            "employment_status_validity": "varchar",
            "employment_status_date": "date",
            "ssp_indicator": "varchar",
            "ssp_indicator_validity": "varchar",
            "benefit_indicator": "varchar",
            "benefit_indicator_validity": "varchar",
            "is_out_of_period": "boolean",
        },
        [
            _staged(
                3,
                1,
                "PAT-SECRET-01",
                "01",
                "valid",
                "2013-04-08",
                "N",
                "valid",
                "Q",
                "invalid",
                False,
            ),
            _staged(
                2,
                1,
                "PAT-SECRET-02",
                "ZZ",
                "default",
                "2013-03-31",
                "U",
                "default",
                "N",
                "valid",
                True,
            ),
        ],
    )
    counts = [
        "level_of_need",
        "referrals_received",
        "entered_treatment",
        "waiting_over_28_days",
        "completed_treatment",
        "not_at_caseness_at_start",
        "moved_to_recovery",
        "moved_off_sick_pay_or_benefits",
    ]
    _table(
        con,
        "staging.stg_kpi_returns__quarterly_returns",
        {
            "source_file": "varchar",
            "source_row_number": "bigint",
            "quarter_label": "varchar",
            "quarter_start": "date",
            "quarter_end": "date",
            "pct_code": "varchar",
            "return_type": "varchar",
            "submitted_at": "timestamp",
            "is_nil_return": "boolean",
            "nil_return_reason": "varchar",
            **{c: "bigint" for c in counts},
        },
        [
            (
                "kpi_returns/k.csv",
                1,
                "2012-13 Q1",
                "2012-04-01",
                "2012-06-30",
                "5A3",
                "Original",
                "2012-07-10 09:00:00",
                False,
                None,
                1000,
                50,
                40,
                5,
                20,
                2,
                10,
                1,
            ),
            (
                "kpi_returns/k.csv",
                2,
                "2012-13 Q1",
                "2012-04-01",
                "2012-06-30",
                "5A4",
                "Original",
                "2012-07-10 09:00:00",
                False,
                None,
                None,
                30,
                -1,
                0,
                0,
                0,
                0,
                0,
            ),
        ],
    )


# Hand-counted VODIM from the staging rows above: one line per item (source table, data
# item, check type), then per submission `sub:V,O,D,I,M` (valid, other, default, invalid,
# missing counts).
VODIM_TABLE = """
IDS001_MPI gender_code code_list 1:1,0,0,0,0 3:1,0,1,0,0 2:2,0,0,0,0
IDS001_MPI ethnic_category code_list 1:1,0,0,0,0 3:1,0,1,0,0 2:0,0,0,2,0
IDS001_MPI lsoa_2011 format 1:1,0,0,0,0 3:2,0,0,0,0 2:1,0,0,0,1
IDS101_Referral source_of_referral code_list 1:1,0,0,0,0 3:1,0,0,1,0 2:2,0,0,0,0
IDS101_Referral end_code code_list 3:1,0,0,0,0 2:2,0,0,0,0
IDS101_Referral commissioner_code reference_list 1:1,0,0,0,0 3:1,0,0,0,1 2:1,0,0,1,0
IDS101_Referral age_at_referral range 1:1,0,0,0,0 3:2,0,0,0,0 2:1,0,0,1,0
IDS101_Referral discharge_date date 3:1,0,0,0,0 2:1,0,0,1,0
IDS603_PresentingComplaints presenting_complaint_code format 2:1,0,0,0,0 3:1,0,0,0,0
IDS603_PresentingComplaints presenting_complaint_significance reference_list 2:1,0,0,0,0 3:0,0,0,1,0
IDS201_CareContact appointment_type code_list 1:1,0,0,0,0 3:3,0,0,0,0 2:1,0,0,1,0
IDS201_CareContact attendance_code code_list 1:1,0,0,0,0 3:3,0,0,0,0 2:2,0,0,0,0
IDS201_CareContact consultation_mechanism code_list 1:1,0,0,0,0 3:3,0,0,0,0 2:2,0,0,0,0
IDS201_CareContact therapy_type code_list 3:1,0,0,1,0 2:1,0,0,0,0
IDS201_CareContact care_contact_date date 1:1,0,0,0,0 3:2,0,0,1,0 2:2,0,0,0,0
IDS606_CodedScoreAssessment questionnaire_code reference_list 3:2,0,0,0,0 2:0,0,0,1,0
IDS606_CodedScoreAssessment score range 3:1,0,0,1,0 2:0,0,0,1,0
IDS606_CodedScoreAssessment score_date date 3:2,0,0,0,0 2:1,0,0,0,0
IDS004_EmpStatus employment_status code_list 3:1,0,0,0,0 2:0,0,1,0,0
IDS004_EmpStatus ssp_indicator code_list 3:1,0,0,0,0 2:0,0,1,0,0
IDS004_EmpStatus benefit_indicator code_list 3:0,0,0,1,0 2:1,0,0,0,0
IDS004_EmpStatus employment_status_date date 3:1,0,0,0,0 2:0,0,0,1,0
"""


def _parse_vodim(table: str) -> dict[tuple[str, str, str], dict[int, tuple[int, ...]]]:
    parsed = {}
    for line in table.strip().splitlines():
        source_table, item, kind, *cells = line.split(maxsplit=3)
        subs = (cell.split(":") for cell in cells[0].split())
        parsed[(source_table, item, kind)] = {
            int(sub): tuple(int(c) for c in counts.split(",")) for sub, counts in subs
        }
    return parsed


VODIM = _parse_vodim(VODIM_TABLE)
# KPI items: pct -> counts; 5A4 has no LevelOfNeed and a negative EnteredTreatment.
KPI_VODIM = {
    "level_of_need": {"5A3": (1, 0, 0, 0, 0), "5A4": (0, 0, 0, 0, 1)},
    "entered_treatment": {"5A3": (1, 0, 0, 0, 0), "5A4": (0, 0, 0, 1, 0)},
    **{
        c: {"5A3": (1, 0, 0, 0, 0), "5A4": (1, 0, 0, 0, 0)}
        for c in [
            "referrals_received",
            "waiting_over_28_days",
            "completed_treatment",
            "not_at_caseness_at_start",
            "moved_to_recovery",
            "moved_off_sick_pay_or_benefits",
        ]
    },
}
USED = {1: False, 2: True, 3: True}

VODIM_COLUMNS = DQ_MARTS["marts.fct_data_quality_vodim"]


def _vodim_row(provider, month, used, table, item, kind, counts) -> tuple:
    total = sum(counts)
    return (
        provider,
        month,
        used,
        table,
        item,
        kind,
        total,
        *counts,
        0,
        *(100.0 * c / total for c in counts),
    )


def build_marts(con, issues: list[tuple], rejections: list[tuple]) -> None:
    rows = [
        _vodim_row(HEADERS[s][0], "2013-04-01", USED[s], t, i, k, c)
        for (t, i, k), subs in VODIM.items()
        for s, c in subs.items()
    ]
    rows += [
        _vodim_row(pct, "2012-04-01", True, "kpi_returns", item, "range", c)
        for item, pcts in KPI_VODIM.items()
        for pct, c in pcts.items()
    ]
    _table(con, "marts.fct_data_quality_vodim", VODIM_COLUMNS, rows)
    # One month (April 2013, the first of its financial year): the year to date is the
    # month, England the sum of the providers' used rows.
    _table(
        con, "marts.fct_data_quality_vodim_ytd", DQ_MARTS["marts.fct_data_quality_vodim_ytd"], []
    )
    counts = ", ".join(VODIM_COUNTS)
    sums = ", ".join(f"sum({c})" for c in VODIM_COUNTS)
    con.execute(
        f"""
        insert into marts.fct_data_quality_vodim_ytd
        select 'Provider', provider_code, reporting_period_start, date '2013-04-01',
            source_table, data_item, check_type, {counts}, {counts}
        from marts.fct_data_quality_vodim
        where is_used_submission and source_table <> 'kpi_returns'
        union all
        select 'England', null, reporting_period_start, date '2013-04-01', source_table,
            data_item, check_type, {sums}, {sums}
        from marts.fct_data_quality_vodim
        where is_used_submission and source_table <> 'kpi_returns'
        group by all
        """
    )
    # April 2013: RAT (its Refresh used) and NQ7 (a Primary) expected and submitting.
    _table(
        con,
        "marts.fct_submission_coverage",
        DQ_MARTS["marts.fct_submission_coverage"],
        [("2013-04-01", "2013-04-30", True, 2, 2, 1, 1, 0, 1.0, None)],
    )
    _table(
        con,
        "marts.fct_data_quality_issues",
        {
            "issue_category": "varchar",
            "issue_kind": "varchar",
            "source_table": "varchar",
            "row_count": "bigint",
            "occurrence_count": "bigint",
            "file_count": "bigint",
        },
        issues,
    )
    _table(
        con,
        "marts.fct_data_quality_completeness",
        {
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
        [
            ("RAT", "2013-04-01", 1, 1, 1, 1, 100.0, 100.0, 100.0),
            ("NQ7", "2013-04-01", 1, 0, 1, 1, 0.0, 100.0, 100.0),
        ],
    )
    _table(
        con,
        "marts.fct_raw_row_rejections",
        {
            "source_table": "varchar",
            "source_file": "varchar",
            "source_row_number": "bigint",
            "submission_folder": "varchar",
            "unique_submission_id": "bigint",
            "reason_code": "varchar",
            "reason": "varchar",
        },
        rejections,
    )
    rejected_by_file: dict[str, int] = {}
    for r in rejections:
        if r[2] is not None:
            rejected_by_file[r[1]] = rejected_by_file.get(r[1], 0) + 1
    _table(
        con,
        "marts.fct_raw_file_reconciliation",
        {
            "source_table": "varchar",
            "source_file": "varchar",
            "raw_rows": "bigint",
            "accepted_rows": "bigint",
            "rejected_rows": "bigint",
            "is_reconciled": "boolean",
        },
        [
            (
                "IDS201_CareContact",
                "iapt_v2/s2/IDS201_CareContact.csv",
                2 + rejected_by_file.get("iapt_v2/s2/IDS201_CareContact.csv", 0),
                2,
                rejected_by_file.get("iapt_v2/s2/IDS201_CareContact.csv", 0),
                True,
            )
        ],
    )
    _table(
        con,
        "marts.fct_kpi_validation_queries",
        {
            "quarter_start": "date",
            "pct_code": "varchar",
            "return_type": "varchar",
            "query_code": "varchar",
            "query": "varchar",
        },
        [
            ("2012-04-01", "5A4", "Original", "missing_level_of_need", "no LevelOfNeed"),
            ("2012-04-01", "5A4", "Original", "negative_count", "EnteredTreatment < 0"),
        ],
    )
    _table(
        con,
        "marts.dim_submissions",
        {
            "unique_submission_id": "bigint",
            "provider_code": "varchar",
            "reporting_period_start": "date",
            "reporting_period_end": "date",
            "file_type": "varchar",
            "submitted_at": "timestamp",
            "submission_folder": "varchar",
            "is_used": "boolean",
            "selection_reason": "varchar",
            "superseded_by_submission_id": "bigint",
        },
        [
            (
                1,
                "RAT",
                "2013-04-01",
                "2013-04-30",
                "Primary",
                "2013-05-01 10:00:00",
                "s1",
                False,
                "superseded by refresh",
                3,
            ),
            (
                2,
                "NQ7",
                "2013-04-01",
                "2013-04-30",
                "Primary",
                "2013-05-02 10:00:00",
                "s2",
                True,
                "used",
                None,
            ),
            (
                3,
                "RAT",
                "2013-04-01",
                "2013-04-30",
                "Refresh",
                "2013-05-03 10:00:00",
                "s3",
                True,
                "used",
                None,
            ),
        ],
    )


# A fault manifest in the generator's format, and the issues it must produce.
MANIFEST = {
    "generator_args": {"fault_rate": 0.01},
    "faults": {
        "orphan_event": {
            "count": 2,
            "rejected_rows": 2,
            "items": [
                {
                    "table": "IDS201_CareContact",
                    "file": "iapt_v2/s2/IDS201_CareContact.csv",
                    "row": 3,
                    "reason_code": "orphan_event",
                    "id": None,
                },
                {
                    "table": "IDS201_CareContact",
                    "file": "iapt_v2/s2/IDS201_CareContact.csv",
                    "row": 4,
                    "reason_code": "orphan_event",
                    "id": None,
                },
            ],
        },
        "missing_file": {
            "count": 1,
            "rejected_rows": 0,
            "items": [
                {
                    "table": "IDS004_EmpStatus",
                    "file": "iapt_v2/s2/IDS004_EmpStatus.csv",
                    "row": None,
                    "reason_code": "missing_file",
                    "id": None,
                }
            ],
        },
        "invalid_code": {"count": 6, "rejected_rows": 0, "items": []},
        "missing_column": {
            "count": 1,
            "rejected_rows": 3,
            "items": [
                {
                    "table": "IDS606_CodedScoreAssessment",
                    "file": "iapt_v2/s2/IDS606_CodedScoreAssessment.csv",
                    "row": None,
                    "reason_code": "missing_column",
                    "id": None,
                }
            ],
        },
        "score_out_of_range": {"count": 1, "rejected_rows": 0, "items": []},
        "out_of_period_event": {"count": 2, "rejected_rows": 0, "items": []},
        "discharge_before_referral": {"count": 1, "rejected_rows": 0, "items": []},
        "event_outside_referral_window": {"count": 1, "rejected_rows": 0, "items": []},
        "missing_level_of_need": {"count": 1, "rejected_rows": 0, "items": []},
        "negative_count": {"count": 1, "rejected_rows": 0, "items": []},
    },
}


def manifest_rejections(manifest: dict) -> list[tuple]:
    rows = []
    for kind, fault in manifest["faults"].items():
        for item in fault["items"]:
            if not fault["rejected_rows"] or item["row"] is not None:
                rows.append((item["table"], item["file"], item["row"], "s2", 2, kind, kind))
                continue
            for row in range(1, fault["rejected_rows"] // len(fault["items"]) + 1):
                rows.append((item["table"], item["file"], row, "s2", 2, kind, kind))
    return rows


# Issues counted by hand from the staging rows: invalid codes (staging's validity columns)
# are ethnic x2, source of referral, appointment type, therapy type, benefit = 6; the
# commissioner, questionnaire and significance codes are reference-list items, not counted.
FAULT_ISSUES = [
    ("rejection", "orphan_event", "IDS201_CareContact", 2, 2, 1),
    ("rejection", "missing_file", "IDS004_EmpStatus", 0, 1, 1),
    ("rejection", "missing_column", "IDS606_CodedScoreAssessment", 3, 3, 1),
    ("flag", "invalid_code", "IDS001_MPI", 2, 2, None),
    ("flag", "invalid_code", "IDS101_Referral", 1, 1, None),
    ("flag", "invalid_code", "IDS201_CareContact", 2, 2, None),
    ("flag", "invalid_code", "IDS004_EmpStatus", 1, 1, None),
    ("flag", "score_out_of_range", "IDS606_CodedScoreAssessment", 1, 1, 1),
    ("flag", "out_of_period_event", "IDS201_CareContact", 1, 1, 1),
    ("flag", "out_of_period_event", "IDS004_EmpStatus", 1, 1, 1),
    ("flag", "discharge_before_referral", "IDS101_Referral", 1, 1, 1),
    ("flag", "event_outside_referral_window", "IDS201_CareContact", 1, 1, 1),
    ("kpi_validation_query", "missing_level_of_need", "kpi_returns", 0, 1, None),
    ("kpi_validation_query", "negative_count", "kpi_returns", 0, 1, None),
]


def make_warehouse(
    path: Path, issues: list[tuple], rejections: list[tuple], *statements: str
) -> Path:
    """The hand-made warehouse at `path`, then `statements` run on it (to plant faults),
    then the statement's report models built by their dbt SQL over it."""
    con = duckdb.connect(str(path))
    build_staging(con)
    build_marts(con, issues, rejections)
    for statement in statements:
        con.execute(statement)
    build_report_models(con)
    con.close()
    return path


@pytest.fixture
def faulty_warehouse(tmp_path: Path) -> Path:
    return make_warehouse(
        tmp_path / "warehouse.duckdb", FAULT_ISSUES, manifest_rejections(MANIFEST)
    )


@pytest.fixture
def clean_warehouse(tmp_path: Path) -> Path:
    """Aggregate tables of a build with no faults: no issues, no rejections."""
    return make_warehouse(
        tmp_path / "clean.duckdb",
        [],
        [],
        "delete from marts.fct_kpi_validation_queries",
        "update marts.fct_data_quality_vodim set valid_count = total_rows,"
        " other_count = 0, default_count = 0, invalid_count = 0, missing_count = 0,"
        " pct_valid = 100, pct_other = 0, pct_default = 0, pct_invalid = 0,"
        " pct_missing = 0",
    )


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The data rows of the first table after a heading of the statement."""
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("| ")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[1:]]


# --- the runner ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gx_run(tmp_path_factory):
    """One GE run on the faulty warehouse, with every network connection refused."""
    tmp = tmp_path_factory.mktemp("gx")
    path = make_warehouse(tmp / "warehouse.duckdb", FAULT_ISSUES, manifest_rejections(MANIFEST))
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network disabled in the data-quality test")

    socket.socket.connect = refuse
    try:
        report = run_data_quality(path)
    finally:
        socket.socket.connect = real_connect
    return report, attempts, tmp


def test_ge_runs_offline_without_exceptions(gx_run):
    report, attempts, _ = gx_run
    assert attempts == []
    assert report.outcomes, "no expectation was run"
    assert report.exceptions == 0
    assert all(not o.raised_exception for o in report.outcomes)
    assert [p for p in report.problems if p["kind"] == "expectation_exception"] == []


def test_every_committed_expectation_ran(gx_run):
    report, _, _ = gx_run
    committed = sum(
        len(json.loads(p.read_text())["expectations"])
        for p in (PROJECT_ROOT / "expectations").glob("*.json")
    )
    assert len(report.outcomes) == committed


def test_ge_agrees_with_the_warehouse_flags_and_vodim(gx_run):
    report, _, _ = gx_run
    mismatched = [o.check_id for o in report.outcomes if o.cross_check != "ok"]
    assert mismatched == []
    assert report.critical == [], report.critical


def test_ge_finds_the_planted_validity_failures(gx_run):
    report, _, _ = gx_run
    by_id = {o.check_id: o for o in report.outcomes}
    expected_rows = {
        "p_ethnic_category": 2,
        "r_source_of_referral": 1,
        "r_commissioner_code": 1,
        "r_age_at_referral": 1,
        "r_discharge_not_before_referral": 1,
        "c_significance": 1,
        "cc_appointment_type": 1,
        "cc_therapy_type": 1,
        "cc_date_not_after_period": 1,
        "s_questionnaire_code": 1,
        "s_score_445455005": 1,
        "e_benefit_indicator": 1,
        "e_date_not_before_period": 1,
        "k_entered_treatment": 1,
        "k_level_of_need_present": 1,
        "h_provider_code": 1,
    }
    failed = {o.check_id: o.flagged_raw_rows for o in report.outcomes if not o.success}
    assert failed == expected_rows
    assert by_id["p_gender_code"].success
    assert by_id["cc_contact_key_unique"].success
    # validity findings are warnings: they never fail the checkpoint
    assert {o.severity for o in report.outcomes if not o.success} == {"warning"}


def test_results_are_counts_only(gx_run):
    report, _, tmp = gx_run
    paths = write_results(report, tmp / "results")
    text = "".join(p.read_text() for p in paths)
    for secret in [*SECRETS, "Q9", "ZZ9", "XXX"]:
        assert secret not in text


def test_checkpoint_fails_on_a_missing_table(tmp_path):
    path = make_warehouse(
        tmp_path / "w.duckdb", FAULT_ISSUES, [], "drop table staging.stg_iapt_v2__care_contacts"
    )
    report = run_data_quality(path)
    kinds = {p["kind"] for p in report.critical}
    assert "missing_table" in kinds


def test_checkpoint_fails_on_duplicate_keys_and_reconciliation(tmp_path):
    path = make_warehouse(
        tmp_path / "w.duckdb",
        FAULT_ISSUES,
        [],
        "insert into staging.stg_iapt_v2__care_contacts select * from"
        " staging.stg_iapt_v2__care_contacts where care_contact_id = 'CC4'",
        "update marts.fct_raw_file_reconciliation set is_reconciled = false",
    )
    report = run_data_quality(path)
    kinds = {p["kind"] for p in report.critical}
    assert "reconciliation_failed" in kinds
    assert any("cc_contact_key_unique" in p["message"] for p in report.critical)


def test_checkpoint_fails_when_vodim_disagrees(tmp_path):
    path = make_warehouse(
        tmp_path / "w.duckdb",
        FAULT_ISSUES,
        [],
        "update marts.fct_data_quality_vodim set invalid_count = 0"
        " where data_item = 'ethnic_category'",
    )
    report = run_data_quality(path)
    assert any(
        p["kind"] == "vodim_mismatch" and "p_ethnic_category" in p["message"]
        for p in report.critical
    )


def test_script_checkpoint_exit_codes(tmp_path, faulty_warehouse, monkeypatch):
    import run_data_quality as script

    monkeypatch.setenv("IAPT_WAREHOUSE", str(faulty_warehouse))
    monkeypatch.setenv("IAPT_OUTPUT_DIR", str(tmp_path / "out"))
    assert script.main(["--checkpoint"]) == 0  # validity findings only
    assert (tmp_path / "out" / "data_quality" / "data_quality_run.json").exists()
    monkeypatch.setenv("IAPT_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    assert script.main(["--checkpoint"]) == 1
    assert script.main([]) == 0


# --- the statement ------------------------------------------------------------------------


def test_statement_reports_every_fault_kind_with_manifest_counts(faulty_warehouse, tmp_path):
    paths = write_data_quality_statement(faulty_warehouse, tmp_path / "out")
    names = [p.name for p in paths]
    assert names[:3] == [
        "data_quality_statement.md",
        "data_quality_statement.html",
        "data_quality_vodim.csv",
    ]
    md = paths[0].read_text()
    rows = {r[0]: r for r in _table_rows(md, "Problems found, by kind")}
    for kind, fault in MANIFEST["faults"].items():
        assert kind in rows, kind
        affected, occurrences = int(rows[kind][3]), int(rows[kind][4])
        if fault["rejected_rows"]:
            assert affected == fault["rejected_rows"], kind
        else:
            expected = occurrences if rows[kind][2] != "flag" else affected
            assert expected == fault["count"], kind
    assert set(rows) == set(MANIFEST["faults"])


def test_statement_with_no_faults_reports_none(clean_warehouse, tmp_path):
    md = write_data_quality_statement(clean_warehouse, tmp_path / "out")[0].read_text()
    assert "No problems found" in md
    assert "No rows were rejected." in md
    assert "No validation queries were raised" in md
    assert _table_rows(md, "Problems found, by kind") == []


def test_statement_names_its_build_and_is_reproducible(clean_warehouse, tmp_path):
    """The statement says which build it describes (marts.dim_build), not when it was
    written, so the same warehouse written twice gives the same files."""
    con = duckdb.connect(str(clean_warehouse))
    con.execute(
        "create table marts.dim_build as select timestamp '2026-03-04 05:06:07' as built_at,"
        " 'a1b2c3d4-0000-4000-8000-000000000001' as invocation_id"
    )
    con.close()
    first = write_data_quality_statement(clean_warehouse, tmp_path / "first")
    second = write_data_quality_statement(clean_warehouse, tmp_path / "second")
    md = first[0].read_text()
    assert (
        "built 2026-03-04 05:06 UTC (dbt invocation a1b2c3d4-0000-4000-8000-000000000001)"
    ) in md
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_statement_names_the_provider_with_invalid_ethnicity(faulty_warehouse, tmp_path):
    md = write_data_quality_statement(faulty_warehouse, tmp_path / "out")[0].read_text()
    rows = _table_rows(md, "Providers below 90% valid on a key item")
    ethnicity = [r for r in rows if r[2] == "Ethnic category (IDS001)"]
    # NQ7: both ethnic codes invalid; RAT's used refresh: 1 valid of 2 (Z is a default
    # code, not valid). Counts of 1-4 and percentages of fewer than 5 rows are suppressed
    # as in measures.csv, so only the listing itself shows (the superseded primary is left
    # out by fct_data_quality_vodim_ytd, unit-tested in dbt).
    assert ethnicity == [
        ["NQ7", "", "Ethnic category (IDS001)", "*", "*", "*", "*"],
        [
            "RAT",
            "NORTH EAST LONDON NHS FOUNDATION TRUST",
            "Ethnic category (IDS001)",
            "*",
            "*",
            "*",
            "*",
        ],
    ]
    assert not any(r[0] == "NQ7" and r[2] == "Gender (IDS001)" for r in rows)


def test_statement_lists_supersessions_and_rejections(faulty_warehouse, tmp_path):
    md = write_data_quality_statement(faulty_warehouse, tmp_path / "out")[0].read_text()
    assert _table_rows(md, "Supersessions")[:2] == [["superseded by refresh", "1"], ["used", "2"]]
    assert "| RAT | 2013-04 | 1 | 3 |" in md
    rejected = _table_rows(md, "Rejected rows")
    assert [r[1:4] for r in rejected] == [
        ["IDS606_CodedScoreAssessment", "3", "3"],
        ["IDS004_EmpStatus", "0", "1"],
        ["IDS201_CareContact", "2", "2"],
    ]
    kpi = {r[0]: r[2] for r in _table_rows(md, "KPI validation queries")}
    assert kpi == {"missing_level_of_need": "1", "negative_count": "1"}


def test_statement_has_no_patient_level_values(faulty_warehouse, tmp_path):
    paths = write_data_quality_statement(faulty_warehouse, tmp_path / "out")
    for path in paths:
        text = path.read_text()
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)


def test_statement_html_is_self_contained(faulty_warehouse, tmp_path):
    paths = write_data_quality_statement(faulty_warehouse, tmp_path / "out")
    page = paths[1].read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"(src|href)\s*=|https?://|@import|<script", page)
    assert "NQ7" in page


def test_issue_counts_sum_over_tables(faulty_warehouse):
    con = duckdb.connect(str(faulty_warehouse), read_only=True)
    try:
        counts = issue_counts(con)
    finally:
        con.close()
    assert counts["invalid_code"] == {
        "category": "flag",
        "rows": 6,
        "occurrences": 6,
        "files": None,
    }
    assert counts["out_of_period_event"]["rows"] == 2


def test_statement_summarises_the_ge_run_on_its_warehouse(gx_run, tmp_path):
    report, _, tmp = gx_run
    results = write_results(report, tmp / "results-for-statement")
    warehouse = Path(report.warehouse)
    paths = write_data_quality_statement(warehouse, tmp_path / "out", results_dir=results[0].parent)
    md = paths[0].read_text()
    section = md.split("### Great Expectations results\n", 1)[1].split("\n## ", 1)[0]
    assert f"{len(report.outcomes)} expectations" in section
    assert "0 raised an exception" in section
    assert "| Ethnic category (IDS001) | Is in its code list | warning | 2 |" in section
    assert "p_ethnic_category" not in md
    for path in paths:
        for secret in SECRETS:
            assert secret not in path.read_text()
    other = write_data_quality_statement(
        warehouse, tmp_path / "out2", results_dir=tmp_path / "none"
    )
    assert "No Great Expectations results" in other[0].read_text()


def test_dq_marts_support_matches_the_dbt_models():
    """The empty marts other tests use have the columns dbt builds (checked on the test
    build's warehouse, which `make test` creates before pytest)."""
    from dq_marts_support import DQ_MARTS
    from iapt_tools.settings import Settings

    warehouse = Settings.from_env().warehouse
    if not warehouse.exists():
        pytest.fail(f"no dbt-built warehouse at {warehouse}: run `make test-build` first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table, columns in DQ_MARTS.items():
            schema, name = table.split(".")
            built = con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            assert [c for (c,) in built] == list(columns), table
    finally:
        con.close()
