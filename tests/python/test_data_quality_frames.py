"""The runner's shared scans build exactly the frames each check's own query builds.

The warehouse is the hand-made one of test_data_quality.py plus rows that exercise the
key and link rules: a duplicate key, null keys, a null submission and an orphan child.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from iapt_tools.data_quality.checks import SUITES, Check
from iapt_tools.data_quality.code_lists import load_code_lists
from iapt_tools.data_quality.frames import FrameBuilder, grouped_scan, key_domains
from iapt_tools.data_quality.runner import build_frame, run_data_quality
from iapt_tools.data_quality.suites import checks_by_id, load_suites
from test_data_quality import FAULT_ISSUES, build_marts, build_staging

EXTRA_ROWS = [
    # a duplicate contact, a contact with no submission, one with no pathway and no id
    "insert into staging.stg_iapt_v2__care_contacts select * from"
    " staging.stg_iapt_v2__care_contacts where care_contact_id = 'CC4'",
    "insert into staging.stg_iapt_v2__care_contacts select * replace"
    " (null as unique_submission_id) from staging.stg_iapt_v2__care_contacts limit 1",
    "insert into staging.stg_iapt_v2__care_contacts select * replace"
    " (null as pathway_id, null as care_contact_id) from staging.stg_iapt_v2__care_contacts"
    " limit 1",
    # a referral with no pathway, a duplicated referral, a patient with no id
    "insert into staging.stg_iapt_v2__referrals select * replace (null as pathway_id)"
    " from staging.stg_iapt_v2__referrals limit 1",
    "insert into staging.stg_iapt_v2__referrals select * from staging.stg_iapt_v2__referrals"
    " limit 1",
    "insert into staging.stg_iapt_v2__patients select * replace (null as local_patient_id)"
    " from staging.stg_iapt_v2__patients limit 1",
    # scores of a submission that has no referrals (orphans)
    "insert into staging.stg_iapt_v2__coded_scores select * replace"
    " (unique_submission_id + 100 as unique_submission_id)"
    " from staging.stg_iapt_v2__coded_scores limit 2",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("frames") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    build_staging(con)
    build_marts(con, FAULT_ISSUES, [])
    for sql in EXTRA_ROWS:
        con.execute(sql)
    con.close()
    return path


@pytest.fixture(scope="module")
def suite_checks() -> dict[str, list[Check]]:
    checks = checks_by_id(load_code_lists())
    return {
        name: [checks[i] for i in dict.fromkeys(e["meta"]["check_id"] for e in s["expectations"])]
        for name, s in load_suites().items()
    }


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a multiset of rows (order-free), for comparison."""
    text = frame.astype(str)
    return text.sort_values(list(text.columns)).reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return (
        list(a.columns) == list(b.columns)
        and list(a.dtypes) == list(b.dtypes)
        and _rows(a).equals(_rows(b))
    )


def test_every_suite_has_one_grouped_scan_and_shared_key_domains(suite_checks):
    for name, checks in suite_checks.items():
        scan = grouped_scan(checks)
        assert scan is not None and scan.relation == SUITES[name][1]
    domains = key_domains([c for checks in suite_checks.values() for c in checks])
    members = {(d.relation, d.key): [c.check_id for c in d.checks] for d in domains}
    assert members[("staging.stg_iapt_v2__referrals", "pathway_id")] == [
        "r_pathway_key_unique",
        "c_link_referrals",
        "cc_link_referrals",
        "s_link_referrals",
    ]
    assert members[("staging.stg_iapt_v2__patients", "local_patient_id")] == [
        "p_patient_key_unique",
        "r_link_patients",
        "e_link_patients",
    ]


def test_shared_scans_build_each_checks_own_frame(warehouse, suite_checks):
    con = duckdb.connect(str(warehouse), read_only=True)
    builder = FrameBuilder(con, [c for checks in suite_checks.values() for c in checks])
    for name, checks in suite_checks.items():
        fast = builder.suite_frame(checks)
        assert len(fast) > 0, name
        assert _same(fast, build_frame(con, checks)), name
    builder.close()
    con.close()


def _definition(check: Check) -> str:
    """Key and link counts as the rules say them: count(distinct key), and a left join to
    the parent's distinct (submission, key)."""
    assert check.counts is not None
    key, parent = check.counts.key, check.counts.parent
    if parent is None:
        return (
            f"select count(*) as a, count(distinct {key}) as b from {check.relation}"
            " group by unique_submission_id"
        )
    return (
        f"select count(*) as a, count(p.{key}) as b from {check.relation} as c"
        f" left join (select distinct unique_submission_id, {key} from {parent}) as p"
        f" on c.unique_submission_id = p.unique_submission_id and c.{key} = p.{key}"
        " group by c.unique_submission_id"
    )


def test_key_and_link_counts_follow_their_definition(warehouse, suite_checks):
    con = duckdb.connect(str(warehouse), read_only=True)
    builder = FrameBuilder(con, [c for checks in suite_checks.values() for c in checks])
    found = 0
    for checks in suite_checks.values():
        frames = builder.suite_frame(checks)
        for check in (c for c in checks if c.counts):
            cols = list(check.value_columns)
            got = frames[cols].dropna().astype("int64").set_axis(["a", "b"], axis=1)
            want = con.execute(_definition(check)).df()
            assert _same(got, want), check.check_id
            found += int((want["a"] != want["b"]).sum())
    builder.close()
    con.close()
    assert found >= 4  # the duplicate, the null keys and the orphans above are seen


def test_period_counts_follow_their_definition(warehouse, suite_checks):
    con = duckdb.connect(str(warehouse), read_only=True)
    for checks in suite_checks.values():
        for check in (c for c in checks if c.check_id.endswith("_not_before_period")):
            date_column = check.pre[1]
            want = con.execute(
                f"select e.{date_column} as a, h.reporting_period_start as b, count(*) as n"
                f" from {check.relation} as e inner join staging.stg_iapt_v2__headers as h"
                " on e.unique_submission_id = h.unique_submission_id group by all"
            ).df()
            got = con.execute(check.sql).df().iloc[:, [0, 1, 3]]
            assert _same(got.set_axis(["a", "b", "n"], axis=1), want), check.check_id
    con.close()


def test_a_failed_shared_query_fails_as_each_checks_own_query(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    build_staging(con)
    build_marts(con, FAULT_ISSUES, [])
    con.execute("drop table staging.stg_iapt_v2__referrals")
    con.close()
    report = run_data_quality(path)
    failed = sorted(
        p["message"].split(":")[0] for p in report.critical if p["kind"] == "frame_query_failed"
    )
    # the suites whose links need IDS101; the others still run in full
    assert failed == [
        "ids201_care_contact",
        "ids603_presenting_complaints",
        "ids606_coded_score_assessment",
    ]
    assert {o.suite for o in report.outcomes} == {
        "ids000_header",
        "ids001_mpi",
        "ids004_emp_status",
        "kpi_returns",
    }
