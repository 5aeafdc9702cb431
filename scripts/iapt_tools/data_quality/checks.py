"""The data-quality checks: one definition per check, shared by the suite builder and the runner.

Each check has a SQL query over the warehouse that returns a small *aggregated* frame
(distinct values with row counts, or one row per submission), so Great Expectations never
sees patient-level rows. Every frame has the columns

- ``<check_id>`` (value checks) or ``<check_id>__a`` / ``<check_id>__b`` (pair checks),
- ``<check_id>__flag``: the warehouse's own verdict (staging's validity column or flag),
- ``<check_id>__rows``: the number of raw rows the frame row stands for.

GE's unexpected count must equal the number of frame rows whose flag is true: the
expectation (built from the seeds) and the warehouse (built by dbt) must agree.

Most checks are *grouped*: ``pre`` names the relation's columns the check reads and
``frame_sql`` computes the frame from ``{pre}``, those columns grouped with their row count
``n``. The check's own ``sql`` reads ``{pre}`` from a ``group by`` of the relation; the
runner instead groups each relation once, by every check's ``pre`` at the same time
(``grouping sets``), so a staging view is scanned once for all its grouped checks
(see ``grouped_sql``). Checks without ``pre`` run their ``sql`` as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from iapt_tools.data_quality.code_lists import CodeLists
from iapt_tools.raw_contract import load_contract

CRITICAL = "critical"  # fails the checkpoint: staging should have made this impossible
WARNING = "warning"  # a validity finding in the input: reported, expected on faulty data

_CONTRACT = load_contract()
# formats and the KPI counts come from the raw contract (vars raw_contract, dbt_project.yml)
LSOA_REGEX = _CONTRACT.tables["patients"].column("lsoa_2011").pattern
QUARTER_REGEX = _CONTRACT.kpi_returns.column("quarter_label").pattern
KPI_COUNT_COLUMNS = [c.name for c in _CONTRACT.kpi_returns.columns if c.type == "bigint"]


def _suite_name(source_table: str) -> str:
    """IDS603_PresentingComplaints -> ids603_presenting_complaints."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", source_table).lower()


def _staging_relation(entity: str) -> str:
    source = "kpi_returns" if entity == "quarterly_returns" else "iapt_v2"
    return f"staging.stg_{source}__{entity}"


# suite name -> (raw table, staging relation), one suite per contract table, in its order
SUITES: dict[str, tuple[str, str]] = {
    _suite_name(t.source_table): (t.source_table, _staging_relation(t.entity))
    for t in _CONTRACT.tables.values()
}

Expectations = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class KeyCounts:
    """Per submission of the check's relation, `a` = its rows and `b` = its distinct keys
    (`parent` None: the key is unique when a = b) or its rows whose (submission, key) is in
    `parent` (a = b: every row links to a parent row of the same submission)."""

    key: str
    parent: str | None = None


@dataclass(frozen=True)
class Check:
    check_id: str
    suite: str
    data_item: str
    check_type: str  # code_list, range, format, date, key, link, header
    severity: str
    description: str
    expectation: Callable[[CodeLists], Expectations]
    # the frame's query (for grouped checks: built from pre and frame_sql)
    sql: str = ""
    # (source_table, data_item) of fct_data_quality_vodim whose invalid_count must equal
    # the flagged rows of this check
    vodim_item: tuple[str, str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # grouped checks: the relation's columns (or `expression as name`) that frame_sql reads
    # from {pre}, which has those columns and `n`, the number of rows with those values
    pre: tuple[str, ...] = ()
    # key and link checks: frame_sql reads {counts}, the rows `a` and the distinct or
    # linked keys `b` of each submission (see KeyCounts)
    counts: KeyCounts | None = None
    frame_sql: str = ""

    def __post_init__(self) -> None:
        routes = bool(self.sql) + bool(self.pre) + bool(self.counts)
        if routes != 1 or bool(self.frame_sql) == bool(self.sql):
            raise ValueError(f"{self.check_id}: give sql, or pre or counts with frame_sql")
        if self.pre:
            object.__setattr__(self, "sql", self.frame_sql.replace("{pre}", grouped_sql(self)))
        if self.counts:
            object.__setattr__(self, "sql", self.frame_sql.replace("{counts}", counts_sql(self)))

    @property
    def source_table(self) -> str:
        return SUITES[self.suite][0]

    @property
    def relation(self) -> str:
        return SUITES[self.suite][1]


_ALIAS = re.compile(r"^(?P<expr>.+?)\s+as\s+(?P<name>\w+)$", re.IGNORECASE | re.DOTALL)


def pre_columns(check: Check) -> list[tuple[str, str]]:
    """(expression, name) of each `pre` item: `end_code` or `x is not null as has_x`."""
    columns = []
    for item in check.pre:
        match = _ALIAS.match(item.strip())
        expr, name = (match["expr"], match["name"]) if match else (item.strip(), item.strip())
        columns.append((" ".join(expr.split()), name))
    return columns


def counts_sql(check: Check) -> str:
    """The check's own {counts}: `a` and `b` for each submission of its relation.

    Both come from the parent's (submission, key) groups: count(key) over them is its
    count(distinct key), and they are the distinct parent keys a child row may link to."""
    assert check.counts is not None
    key, parent = check.counts.key, check.counts.parent
    groups = f"select unique_submission_id, {key}, count(*) as n from {{relation}} group by all"
    if parent is None:
        return (
            f"(select cast(sum(n) as bigint) as a, count({key}) as b"
            f" from ({groups.format(relation=check.relation)}) group by unique_submission_id)"
        )
    return (
        f"(select count(*) as a, count(p.{key}) as b from {check.relation} as c"
        f" left join ({groups.format(relation=parent)}) as p"
        f" on c.unique_submission_id = p.unique_submission_id and c.{key} = p.{key}"
        " group by c.unique_submission_id)"
    )


def grouped_sql(check: Check) -> str:
    """The check's own {pre}: its relation grouped by its `pre` columns, with a row count."""
    return f"(select {', '.join(check.pre)}, count(*) as n from {check.relation} group by all)"


def _in_set(column: str, values: Callable[[CodeLists], list[str]]) -> Callable:
    return lambda cl: [
        ("expect_column_values_to_be_in_set", {"column": column, "value_set": values(cl)})
    ]


def _code_check(
    suite: str,
    check_id: str,
    column: str,
    values: Callable[[CodeLists], list[str]],
    *,
    validity: str | None = None,
    where: str | None = None,
    severity: str = WARNING,
    vodim: bool = True,
    description: str = "",
) -> Check:
    """`validity`: staging's validity column (default `<column>_validity`), or an SQL
    expression over `column` alone (evaluated once per distinct value)."""
    source_table = SUITES[suite][0]
    validity_sql = validity or f"{column}_validity"
    pre = [column]
    if re.fullmatch(r"\w+", validity_sql):
        pre.append(validity_sql)
    if where:
        pre.append(f"({where}) as dq_keep")
    frame_sql = f"""
        with src as (
            select {column} as v, {validity_sql} as validity, n
            from {{pre}} {"where dq_keep" if where else ""}
        )
        select
            case when validity = 'missing' then null else v end as {check_id},
            validity = 'invalid' as {check_id}__flag,
            cast(sum(n) as bigint) as {check_id}__rows
        from src group by all
    """
    return Check(
        check_id=check_id,
        suite=suite,
        data_item=column,
        check_type="code_list",
        severity=severity,
        description=description or f"{column} is in its code list",
        expectation=_in_set(check_id, values),
        vodim_item=(source_table, column) if vodim else None,
        pre=tuple(pre),
        frame_sql=frame_sql,
    )


def _sql_list(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _seed(name: str) -> Callable[[CodeLists], list[str]]:
    return lambda cl: cl.codes[name]


# the two sides of "the event date lies in its submission's reporting month":
# (id suffix, description, column_A, column_B, flag) with d the date
_PERIOD_SIDES = (
    ("not_before_period", "on or after the reporting period start", "d", "period_start", "<"),
    ("not_after_period", "on or before the reporting period end", "period_end", "d", ">"),
)


def _period_checks(suite: str, prefix: str, date_column: str) -> list[Check]:
    """The event date lies in its submission's reporting month (two checks)."""
    pre = ("unique_submission_id", date_column)
    base = f"""
        select
            e.{date_column} as d,
            h.reporting_period_start as period_start,
            h.reporting_period_end as period_end,
            cast(sum(e.n) as bigint) as n
        from {{pre}} as e
        inner join staging.stg_iapt_v2__headers as h
            on e.unique_submission_id = h.unique_submission_id
        group by all
    """
    checks = []
    for suffix, wording, column_a, column_b, op in _PERIOD_SIDES:
        check_id = f"{prefix}_{suffix}"
        bound = "period_start" if op == "<" else "period_end"
        checks.append(
            Check(
                check_id=check_id,
                suite=suite,
                data_item=date_column,
                check_type="date",
                severity=WARNING,
                description=f"{date_column} is {wording}",
                pre=pre,
                frame_sql=f"""
                    select {column_a} as {check_id}__a,
                        {column_b} as {check_id}__b,
                        d {op} {bound} as {check_id}__flag,
                        n as {check_id}__rows
                    from ({base})
                """,
                expectation=_a_not_below_b(check_id),
            )
        )
    return checks


def _a_not_below_b(check_id: str) -> Callable[[CodeLists], Expectations]:
    return lambda cl: [
        (
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": f"{check_id}__a",
                "column_B": f"{check_id}__b",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
        )
    ]


def _pair_equal(check_id: str) -> Callable[[CodeLists], Expectations]:
    return lambda cl: [
        (
            "expect_column_pair_values_to_be_equal",
            {"column_A": f"{check_id}__a", "column_B": f"{check_id}__b"},
        )
    ]


def _pair_frame(check_id: str) -> str:
    return f"""
        select
            a as {check_id}__a,
            b as {check_id}__b,
            a <> b as {check_id}__flag,
            a - b as {check_id}__rows
        from {{counts}}
    """


def _key_check(suite: str, check_id: str, key: str, severity: str) -> Check:
    return Check(
        check_id=check_id,
        suite=suite,
        data_item=key,
        check_type="key",
        severity=severity,
        description=f"{key} is unique within each submission",
        counts=KeyCounts(key),
        frame_sql=_pair_frame(check_id),
        expectation=_pair_equal(check_id),
    )


def _link_check(
    suite: str, check_id: str, key: str, parent: str, severity: str, description: str
) -> Check:
    return Check(
        check_id=check_id,
        suite=suite,
        data_item=key,
        check_type="link",
        severity=severity,
        description=description,
        counts=KeyCounts(key, parent),
        frame_sql=_pair_frame(check_id),
        expectation=_pair_equal(check_id),
    )


def _score_checks(cl: CodeLists) -> list[Check]:
    """One range check per questionnaire of code_questionnaire."""
    checks = []
    for q in cl.questionnaires:
        check_id = f"s_score_{q.code}"
        checks.append(
            Check(
                check_id=check_id,
                suite="ids606_coded_score_assessment",
                data_item="score",
                check_type="range",
                severity=WARNING,
                description=f"{q.short_name} ({q.code}) scores lie in {q.min_score:g}-"
                f"{q.max_score:g}",
                pre=("questionnaire_code", "score", "is_score_in_range"),
                frame_sql=f"""
                    select cast(score as double) as {check_id},
                        not coalesce(is_score_in_range, false) as {check_id}__flag,
                        cast(sum(n) as bigint) as {check_id}__rows
                    from {{pre}}
                    where questionnaire_code = '{q.code}' and score is not null
                    group by all
                """,
                expectation=lambda cl, cid=check_id, lo=q.min_score, hi=q.max_score: [
                    (
                        "expect_column_values_to_be_between",
                        {"column": cid, "min_value": lo, "max_value": hi},
                    )
                ],
                meta={"questionnaire_code": q.code, "short_name": q.short_name},
            )
        )
    return checks


def _kpi_checks(cl: CodeLists) -> list[Check]:
    suite = "kpi_returns"
    relation = SUITES[suite][1]
    checks = [
        _code_check(
            suite,
            "k_pct_code",
            "pct_code",
            lambda cl: cl.pct_codes,
            validity="case when pct_code in (select pct_code from reference.org_pct_2011_12)"
            " then 'valid' when pct_code is null then 'missing' else 'invalid' end",
            severity=CRITICAL,
            vodim=False,
            description="OrgCode is a PCT of the reference list (others are rejected)",
        ),
        _code_check(
            suite,
            "k_return_type",
            "return_type",
            _seed("code_return_type"),
            validity=f"case when return_type in ({_sql_list(cl.codes['code_return_type'])})"
            " then 'valid' when return_type is null then 'missing' else 'invalid' end",
            severity=CRITICAL,
            vodim=False,
            description="ReturnType is Original or Resubmission (others are rejected)",
        ),
        Check(
            check_id="k_quarter_label",
            suite=suite,
            data_item="quarter_label",
            check_type="format",
            severity=CRITICAL,
            description="Quarter is YYYY-YY Qn (others are rejected)",
            pre=("quarter_label",),
            frame_sql=f"""
                select quarter_label as k_quarter_label,
                    not regexp_full_match(coalesce(quarter_label, ''), '{QUARTER_REGEX}')
                        as k_quarter_label__flag,
                    cast(sum(n) as bigint) as k_quarter_label__rows
                from {{pre}} group by all
            """,
            expectation=lambda cl: [
                (
                    "expect_column_values_to_match_regex",
                    {"column": "k_quarter_label", "regex": QUARTER_REGEX},
                )
            ],
        ),
        Check(
            check_id="k_level_of_need_present",
            suite=suite,
            data_item="level_of_need",
            check_type="format",
            severity=WARNING,
            description="LevelOfNeed is present (a missing one is a validation query)",
            sql=f"""
                select level_of_need is not null as k_level_of_need_present,
                    level_of_need is null as k_level_of_need_present__flag,
                    1 as k_level_of_need_present__rows
                from {relation}
            """,
            expectation=lambda cl: [
                (
                    "expect_column_values_to_be_in_set",
                    {"column": "k_level_of_need_present", "value_set": [True]},
                )
            ],
        ),
    ]
    for column in KPI_COUNT_COLUMNS:
        check_id = f"k_{column}"
        checks.append(
            Check(
                check_id=check_id,
                suite=suite,
                data_item=column,
                check_type="range",
                severity=WARNING,
                description=f"{column} is not negative",
                pre=(column,),
                frame_sql=f"""
                    select cast({column} as double) as {check_id},
                        coalesce({column} < 0, false) as {check_id}__flag,
                        cast(sum(n) as bigint) as {check_id}__rows
                    from {{pre}} group by all
                """,
                expectation=lambda cl, cid=check_id: [
                    ("expect_column_values_to_be_between", {"column": cid, "min_value": 0})
                ],
                vodim_item=("kpi_returns", column),
            )
        )
    return checks


def all_checks(cl: CodeLists) -> list[Check]:
    """Every check, in suite order."""
    hdr = "ids000_header"
    mpi = "ids001_mpi"
    ref = "ids101_referral"
    pc = "ids603_presenting_complaints"
    cc = "ids201_care_contact"
    sc = "ids606_coded_score_assessment"
    emp = "ids004_emp_status"
    referrals = "staging.stg_iapt_v2__referrals"
    patients = "staging.stg_iapt_v2__patients"
    checks: list[Check] = [
        Check(
            check_id="h_submission_id_unique",
            suite=hdr,
            data_item="unique_submission_id",
            check_type="key",
            severity=CRITICAL,
            description="UniqueSubmissionID is unique across submissions",
            sql="""
                select unique_submission_id as h_submission_id_unique,
                    count(*) over (partition by unique_submission_id) > 1
                        as h_submission_id_unique__flag,
                    1 as h_submission_id_unique__rows
                from staging.stg_iapt_v2__headers
            """,
            expectation=lambda cl: [
                ("expect_column_values_to_be_unique", {"column": "h_submission_id_unique"})
            ],
        ),
        _code_check(
            hdr,
            "h_file_type",
            "file_type",
            _seed("code_file_type"),
            validity=f"case when file_type in ({_sql_list(cl.codes['code_file_type'])})"
            " then 'valid' when file_type is null then 'missing' else 'invalid' end",
            vodim=False,
            description="FileType is Primary or Refresh",
        ),
        _code_check(
            hdr,
            "h_provider_code",
            "provider_code",
            lambda cl: cl.provider_codes,
            validity="case when provider_code in"
            " (select provider_code from reference.org_iapt_providers) then 'valid'"
            " when provider_code is null then 'missing' else 'invalid' end",
            vodim=False,
            description="OrgIDProv is a provider of the reference list",
        ),
        Check(
            check_id="h_period_is_month",
            suite=hdr,
            data_item="reporting_period_end",
            check_type="date",
            severity=WARNING,
            description="the reporting period is one calendar month",
            sql="""
                select
                    coalesce(day(reporting_period_start) = 1
                        and reporting_period_end = last_day(reporting_period_start), false)
                        as h_period_is_month,
                    not coalesce(day(reporting_period_start) = 1
                        and reporting_period_end = last_day(reporting_period_start), false)
                        as h_period_is_month__flag,
                    1 as h_period_is_month__rows
                from staging.stg_iapt_v2__headers
            """,
            expectation=lambda cl: [
                (
                    "expect_column_values_to_be_in_set",
                    {"column": "h_period_is_month", "value_set": [True]},
                )
            ],
        ),
        _code_check(
            mpi, "p_gender_code", "gender_code", _seed("code_gender"), validity="gender_validity"
        ),
        _code_check(mpi, "p_ethnic_category", "ethnic_category", _seed("code_ethnic_category")),
        Check(
            check_id="p_lsoa_2011",
            suite=mpi,
            data_item="lsoa_2011",
            check_type="format",
            severity=WARNING,
            description="LSOA2011 looks like an English or Welsh 2011 LSOA code",
            pre=("lsoa_2011",),
            frame_sql=f"""
                select lsoa_2011 as p_lsoa_2011,
                    not regexp_full_match(lsoa_2011, '{LSOA_REGEX}') as p_lsoa_2011__flag,
                    cast(sum(n) as bigint) as p_lsoa_2011__rows
                from {{pre}}
                where nullif(trim(lsoa_2011), '') is not null
                group by all
            """,
            expectation=lambda cl: [
                (
                    "expect_column_values_to_match_regex",
                    {"column": "p_lsoa_2011", "regex": LSOA_REGEX},
                )
            ],
            vodim_item=("IDS001_MPI", "lsoa_2011"),
        ),
        _key_check(mpi, "p_patient_key_unique", "local_patient_id", WARNING),
        _code_check(
            ref, "r_source_of_referral", "source_of_referral", _seed("code_source_of_referral")
        ),
        _code_check(
            ref,
            "r_end_code",
            "end_code",
            _seed("code_end_code"),
            where="discharge_date_submitted is not null",
        ),
        _code_check(
            ref,
            "r_commissioner_code",
            "commissioner_code",
            lambda cl: sorted({*cl.pct_codes, *cl.ccg_codes, *cl.later_commissioner_codes}),
            validity="case when nullif(trim(commissioner_code), '') is null then 'missing'"
            " when commissioner_code in (select pct_code from reference.org_pct_2011_12)"
            " or commissioner_code in (select ccg_code from reference.org_ccg_2013_14)"
            " or commissioner_code in"
            " (select legacy_ccg_code from reference.org_ccg_legacy_to_ccg_2021)"
            " or commissioner_code in (select sub_icb_code from reference.org_sub_icb_locations)"
            " then 'valid' else 'invalid' end",
            description="OrgIDComm is a PCT, CCG or Sub-ICB location of the reference lists",
        ),
        Check(
            check_id="r_age_at_referral",
            suite=ref,
            data_item="age_at_referral",
            check_type="range",
            severity=WARNING,
            description="AgeAtReferral lies in 16-120",
            pre=("age_at_referral",),
            frame_sql="""
                select age_at_referral as r_age_at_referral,
                    age_at_referral not between 16 and 120 as r_age_at_referral__flag,
                    cast(sum(n) as bigint) as r_age_at_referral__rows
                from {pre} where age_at_referral is not null group by all
            """,
            expectation=lambda cl: [
                (
                    "expect_column_values_to_be_between",
                    {"column": "r_age_at_referral", "min_value": 16, "max_value": 120},
                )
            ],
            vodim_item=("IDS101_Referral", "age_at_referral"),
        ),
        Check(
            check_id="r_referral_date_not_after_period",
            suite=ref,
            data_item="referral_received_date",
            check_type="date",
            severity=WARNING,
            description="ReferralRequestReceivedDate is not after the reporting period end",
            pre=("unique_submission_id", "referral_received_date"),
            frame_sql="""
                select h.reporting_period_end as r_referral_date_not_after_period__a,
                    r.referral_received_date as r_referral_date_not_after_period__b,
                    r.referral_received_date > h.reporting_period_end
                        as r_referral_date_not_after_period__flag,
                    cast(sum(r.n) as bigint) as r_referral_date_not_after_period__rows
                from {pre} as r
                inner join staging.stg_iapt_v2__headers as h
                    on r.unique_submission_id = h.unique_submission_id
                group by all
            """,
            expectation=_a_not_below_b("r_referral_date_not_after_period"),
        ),
        Check(
            check_id="r_discharge_not_before_referral",
            suite=ref,
            data_item="discharge_date",
            check_type="date",
            severity=WARNING,
            description="ServDischDate is not before ReferralRequestReceivedDate",
            pre=(
                "discharge_date_submitted",
                "referral_received_date",
                "is_discharge_before_referral",
            ),
            frame_sql="""
                select discharge_date_submitted as r_discharge_not_before_referral__a,
                    referral_received_date as r_discharge_not_before_referral__b,
                    coalesce(is_discharge_before_referral, false)
                        as r_discharge_not_before_referral__flag,
                    cast(sum(n) as bigint) as r_discharge_not_before_referral__rows
                from {pre} where discharge_date_submitted is not null group by all
            """,
            expectation=_a_not_below_b("r_discharge_not_before_referral"),
            vodim_item=("IDS101_Referral", "discharge_date"),
        ),
        _key_check(ref, "r_pathway_key_unique", "pathway_id", CRITICAL),
        _link_check(
            ref,
            "r_link_patients",
            "local_patient_id",
            patients,
            WARNING,
            "every referral's patient is in the same submission's IDS001",
        ),
        _code_check(
            pc,
            "c_significance",
            "presenting_complaint_significance",
            _seed("code_presenting_complaint_significance"),
            validity="case when nullif(trim(presenting_complaint_significance), '') is null"
            " then 'missing' when presenting_complaint_significance in (select code from"
            " reference.code_presenting_complaint_significance) then 'valid' else 'invalid'"
            " end",
        ),
        _link_check(
            pc,
            "c_link_referrals",
            "pathway_id",
            referrals,
            WARNING,
            "every complaint's referral is in the same submission's IDS101",
        ),
        _code_check(cc, "cc_appointment_type", "appointment_type", _seed("code_appointment_type")),
        _code_check(cc, "cc_attendance_code", "attendance_code", _seed("code_attendance")),
        _code_check(
            cc,
            "cc_consultation_mechanism",
            "consultation_mechanism",
            _seed("code_consultation_mechanism"),
        ),
        _code_check(
            cc,
            "cc_therapy_type",
            "therapy_type",
            _seed("code_therapy_type"),
            where="therapy_type is not null",
        ),
        *_period_checks(cc, "cc_date", "care_contact_date"),
        _key_check(cc, "cc_contact_key_unique", "care_contact_id", CRITICAL),
        _link_check(
            cc,
            "cc_link_referrals",
            "pathway_id",
            referrals,
            CRITICAL,
            "every contact's referral is in the same submission's accepted IDS101",
        ),
        _code_check(
            sc,
            "s_questionnaire_code",
            "questionnaire_code",
            _seed("code_questionnaire"),
            validity="case when nullif(trim(questionnaire_code), '') is null then 'missing'"
            " when questionnaire_code in (select code from reference.code_questionnaire)"
            " then 'valid' else 'invalid' end",
        ),
        *_score_checks(cl),
        *_period_checks(sc, "s_date", "score_date"),
        _link_check(
            sc,
            "s_link_referrals",
            "pathway_id",
            referrals,
            CRITICAL,
            "every score's referral is in the same submission's accepted IDS101",
        ),
        _code_check(
            emp, "e_employment_status", "employment_status", _seed("code_employment_status")
        ),
        _code_check(emp, "e_ssp_indicator", "ssp_indicator", _seed("code_indicator")),
        _code_check(emp, "e_benefit_indicator", "benefit_indicator", _seed("code_indicator")),
        *_period_checks(emp, "e_date", "employment_status_date"),
        _link_check(
            emp,
            "e_link_patients",
            "local_patient_id",
            patients,
            WARNING,
            "every employment record's patient is in the same submission's IDS001",
        ),
        *_kpi_checks(cl),
    ]
    ids = [c.check_id for c in checks]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate check ids")
    return checks
