"""The data-quality checks as a table: one row per check, read by checks.py.

A row says *what* is checked: its suite, its id, the data item, how it is reported
(`check_type`, `severity`, `description`) and its `kind` with that kind's parameters. It
never says how the frame is computed or what its columns are called: the interpreter
(`checks.py`) turns each kind into the frame SQL and the expectation, and refuses a row
whose kind is unknown or whose parameters do not fit (`checks.KINDS` lists them).

Formats, the AgeAtReferral range and the KPI counts come from the raw contract (vars
raw_contract, dbt_project.yml), code lists from the seeds: `codes` names a
`seeds/code_lists/code_*.csv` or one of the organisation lists of
`checks.ORGANISATION_CODES`. The score checks are one row per questionnaire of
`code_questionnaire`, so the table is a function of the seeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iapt_tools.data_quality.code_lists import CodeLists
from iapt_tools.raw_contract import load_contract

CRITICAL = "critical"  # fails the checkpoint: staging should have made this impossible
WARNING = "warning"  # a validity finding in the input: reported, expected on faulty data

_CONTRACT = load_contract()
LSOA_REGEX = _CONTRACT.tables["patients"].column("lsoa_2011").pattern
QUARTER_REGEX = _CONTRACT.kpi_returns.column("quarter_label").pattern
KPI_COUNT_COLUMNS = [c.name for c in _CONTRACT.kpi_returns.columns if c.type == "bigint"]
_AGE = _CONTRACT.tables["referrals"].column("age_at_referral")


@dataclass(frozen=True)
class CheckRow:
    """One check. `params` are those of its `kind` (see checks.KINDS)."""

    suite: str
    check_id: str
    data_item: str
    check_type: str  # code_list, range, format, date, key, link (how it is reported)
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = WARNING
    description: str = ""  # in_code_list and unique_key have a default
    # cross-checked against fct_data_quality_vodim's invalid_count of (table, data_item)
    vodim: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict)  # extra expectation meta


HDR = "ids000_header"
MPI = "ids001_mpi"
REF = "ids101_referral"
PC = "ids603_presenting_complaints"
CC = "ids201_care_contact"
SC = "ids606_coded_score_assessment"
EMP = "ids004_emp_status"
KPI = "kpi_returns"
REFERRALS = "staging.stg_iapt_v2__referrals"
PATIENTS = "staging.stg_iapt_v2__patients"


def _code_list(
    suite: str,
    check_id: str,
    column: str,
    codes: str,
    *,
    vodim: bool = True,
    severity: str = WARNING,
    description: str = "",
    **params: Any,
) -> CheckRow:
    """The common row: `column` is in the code list `codes`, staging's validity column
    (`<column>_validity`) is the warehouse's verdict, and VODIM counts the item."""
    return CheckRow(
        suite, check_id, column, "code_list", "in_code_list",
        {"column": column, "codes": codes, **params},
        severity=severity, description=description, vodim=vodim,
    )  # fmt: skip


def _in_period(suite: str, prefix: str, column: str) -> list[CheckRow]:
    """The event date lies in its submission's reporting month (two checks)."""
    return [
        CheckRow(
            suite, f"{prefix}_not_before_period", column, "date", "in_period",
            {"column": column, "bound": "start"},
            description=f"{column} is on or after the reporting period start",
        ),
        CheckRow(
            suite, f"{prefix}_not_after_period", column, "date", "in_period",
            {"column": column, "bound": "end"},
            description=f"{column} is on or before the reporting period end",
        ),
    ]  # fmt: skip


def _score_ranges(cl: CodeLists) -> list[CheckRow]:
    """One range check per questionnaire of code_questionnaire."""
    return [
        CheckRow(
            SC, f"s_score_{q.code}", "score", "range", "in_range",
            {
                "column": "score",
                "minimum": q.min_score,
                "maximum": q.max_score,
                "passed_column": "is_score_in_range",
                "also_reads": ("questionnaire_code",),
                "where": f"questionnaire_code = '{q.code}' and score is not null",
            },
            description=f"{q.short_name} ({q.code}) scores lie in {q.min_score:g}-"
            f"{q.max_score:g}",
            meta={"questionnaire_code": q.code, "short_name": q.short_name},
        )
        for q in cl.questionnaires
    ]  # fmt: skip


def _kpi_counts() -> list[CheckRow]:
    """One not-negative check per count column of the KPI returns (raw contract)."""
    return [
        CheckRow(
            KPI, f"k_{column}", column, "range", "in_range", {"column": column, "minimum": 0},
            description=f"{column} is not negative", vodim=True,
        )
        for column in KPI_COUNT_COLUMNS
    ]  # fmt: skip


def check_table(cl: CodeLists) -> list[CheckRow]:
    """Every check, in suite order (the order of the expectations in each suite)."""
    # fmt: off
    return [
        CheckRow(
            HDR, "h_submission_id_unique", "unique_submission_id", "key", "unique",
            {"column": "unique_submission_id"}, severity=CRITICAL,
            description="UniqueSubmissionID is unique across submissions",
        ),
        _code_list(
            HDR, "h_file_type", "file_type", "code_file_type", vodim=False,
            valid_in=("code_list",), missing="null",
            description="FileType is Primary or Refresh",
        ),
        _code_list(
            HDR, "h_provider_code", "provider_code", "providers", vodim=False,
            valid_in=("reference.org_iapt_providers.provider_code",), missing="null",
            description="OrgIDProv is a provider of the reference list",
        ),
        CheckRow(
            HDR, "h_period_is_month", "reporting_period_end", "date", "is_true",
            {"condition": "day(reporting_period_start) = 1"
                " and reporting_period_end = last_day(reporting_period_start)"},
            description="the reporting period is one calendar month",
        ),
        _code_list(MPI, "p_gender_code", "gender_code", "code_gender", validity="gender_validity"),
        _code_list(MPI, "p_ethnic_category", "ethnic_category", "code_ethnic_category"),
        CheckRow(
            MPI, "p_lsoa_2011", "lsoa_2011", "format", "matches_pattern",
            {"column": "lsoa_2011", "pattern": LSOA_REGEX,
             "where": "nullif(trim(lsoa_2011), '') is not null"},
            description="LSOA2011 looks like an English or Welsh 2011 LSOA code", vodim=True,
        ),
        CheckRow(
            MPI, "p_patient_key_unique", "local_patient_id", "key", "unique_key",
            {"key": "local_patient_id"},
        ),
        _code_list(REF, "r_source_of_referral", "source_of_referral", "code_source_of_referral"),
        _code_list(
            REF, "r_end_code", "end_code", "code_end_code",
            also_reads=("discharge_date_submitted is not null as is_discharged",),
            where="is_discharged",
        ),
        _code_list(
            REF, "r_commissioner_code", "commissioner_code", "commissioners",
            valid_in=(
                "reference.org_pct_2011_12.pct_code",
                "reference.org_ccg_2013_14.ccg_code",
                "reference.org_ccg_legacy_to_ccg_2021.legacy_ccg_code",
                "reference.org_sub_icb_locations.sub_icb_code",
            ),
            missing="blank",
            description="OrgIDComm is a PCT, CCG or Sub-ICB location of the reference lists",
        ),
        CheckRow(
            REF, "r_age_at_referral", "age_at_referral", "range", "in_range",
            {"column": "age_at_referral", "minimum": _AGE.minimum, "maximum": _AGE.maximum,
             "where": "age_at_referral is not null"},
            description=f"AgeAtReferral lies in {_AGE.minimum:g}-{_AGE.maximum:g}", vodim=True,
        ),
        CheckRow(
            REF, "r_referral_date_not_after_period", "referral_received_date", "date",
            "not_before", {"later": "reporting_period_end", "earlier": "referral_received_date"},
            description="ReferralRequestReceivedDate is not after the reporting period end",
        ),
        CheckRow(
            REF, "r_discharge_not_before_referral", "discharge_date", "date", "not_before",
            {"later": "discharge_date_submitted", "earlier": "referral_received_date",
             "failed_column": "is_discharge_before_referral",
             "where": "discharge_date_submitted is not null"},
            description="ServDischDate is not before ReferralRequestReceivedDate", vodim=True,
        ),
        CheckRow(
            REF, "r_pathway_key_unique", "pathway_id", "key", "unique_key",
            {"key": "pathway_id"}, severity=CRITICAL,
        ),
        CheckRow(
            REF, "r_link_patients", "local_patient_id", "link", "links_to",
            {"key": "local_patient_id", "parent": PATIENTS},
            description="every referral's patient is in the same submission's IDS001",
        ),
        _code_list(
            PC, "c_significance", "presenting_complaint_significance",
            "code_presenting_complaint_significance",
            valid_in=("reference.code_presenting_complaint_significance.code",),
            missing="blank",
        ),
        CheckRow(
            PC, "c_link_referrals", "pathway_id", "link", "links_to",
            {"key": "pathway_id", "parent": REFERRALS},
            description="every complaint's referral is in the same submission's IDS101",
        ),
        _code_list(CC, "cc_appointment_type", "appointment_type", "code_appointment_type"),
        _code_list(CC, "cc_attendance_code", "attendance_code", "code_attendance"),
        _code_list(
            CC, "cc_consultation_mechanism", "consultation_mechanism",
            "code_consultation_mechanism",
        ),
        _code_list(
            CC, "cc_therapy_type", "therapy_type", "code_therapy_type",
            where="therapy_type is not null",
        ),
        *_in_period(CC, "cc_date", "care_contact_date"),
        CheckRow(
            CC, "cc_contact_key_unique", "care_contact_id", "key", "unique_key",
            {"key": "care_contact_id"}, severity=CRITICAL,
        ),
        CheckRow(
            CC, "cc_link_referrals", "pathway_id", "link", "links_to",
            {"key": "pathway_id", "parent": REFERRALS}, severity=CRITICAL,
            description="every contact's referral is in the same submission's accepted IDS101",
        ),
        _code_list(
            SC, "s_questionnaire_code", "questionnaire_code", "code_questionnaire",
            valid_in=("reference.code_questionnaire.code",), missing="blank",
        ),
        *_score_ranges(cl),
        *_in_period(SC, "s_date", "score_date"),
        CheckRow(
            SC, "s_link_referrals", "pathway_id", "link", "links_to",
            {"key": "pathway_id", "parent": REFERRALS}, severity=CRITICAL,
            description="every score's referral is in the same submission's accepted IDS101",
        ),
        _code_list(EMP, "e_employment_status", "employment_status", "code_employment_status"),
        _code_list(EMP, "e_ssp_indicator", "ssp_indicator", "code_indicator"),
        _code_list(EMP, "e_benefit_indicator", "benefit_indicator", "code_indicator"),
        *_in_period(EMP, "e_date", "employment_status_date"),
        CheckRow(
            EMP, "e_link_patients", "local_patient_id", "link", "links_to",
            {"key": "local_patient_id", "parent": PATIENTS},
            description="every employment record's patient is in the same submission's IDS001",
        ),
        _code_list(
            KPI, "k_pct_code", "pct_code", "pct", vodim=False,
            valid_in=("reference.org_pct_2011_12.pct_code",), missing="null",
            description="OrgCode is a PCT of the reference list (others are rejected)",
            severity=CRITICAL,
        ),
        _code_list(
            KPI, "k_return_type", "return_type", "code_return_type", vodim=False,
            valid_in=("code_list",), missing="null",
            description="ReturnType is Original or Resubmission (others are rejected)",
            severity=CRITICAL,
        ),
        CheckRow(
            KPI, "k_quarter_label", "quarter_label", "format", "matches_pattern",
            {"column": "quarter_label", "pattern": QUARTER_REGEX}, severity=CRITICAL,
            description="Quarter is YYYY-YY Qn (others are rejected)",
        ),
        CheckRow(
            KPI, "k_level_of_need_present", "level_of_need", "format", "is_true",
            {"condition": "level_of_need is not null"},
            description="LevelOfNeed is present (a missing one is a validation query)",
        ),
        *_kpi_counts(),
    ]
    # fmt: on
