"""Turn the simulated history into provider submissions (Primary and Refresh) in DuckDB.

Referral-level tables (IDS101, IDS603, IDS001) are monthly snapshots; event tables
(IDS201, IDS606, IDS004) are increments. A Refresh is a full re-send of its month; the
Primary it replaces lacks a few late-recorded events and discharges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from . import codes
from .config import Calendar, from_day
from .pathways import ALL_END_CODES, APP_TYPES, ATTEND_CODES, NO_DAY, THERAPY_CODES, World

FIRST_SUBMISSION_ID = 100001
LATE_EVENT_P = 0.05
LATE_DISCHARGE_P = 0.30


@dataclass(frozen=True)
class Submission:
    key: str  # flat partition key
    folder: str  # relative to iapt_v2/
    provider: int
    provider_code: str
    month: int
    file_type: str
    has_refresh: bool
    usid: int
    submitted_at: str
    period_start: dt.date
    period_end: dt.date


def plan_submissions(
    rng: np.random.Generator, cal: Calendar, providers: list[str], refresh_rate: float
) -> list[Submission]:
    rows = []
    for p in range(len(providers)):
        for m in range(cal.n):
            end = from_day(int(cal.end_days[m]))
            refresh = m < cal.n - 1 and rng.random() < refresh_rate
            prim_at = dt.datetime.combine(end, dt.time()) + dt.timedelta(
                days=int(rng.integers(14, 26)), seconds=int(rng.integers(8 * 3600, 18 * 3600))
            )
            rows.append((prim_at, p, m, "Primary", refresh))
            if refresh:
                ref_at = prim_at + dt.timedelta(
                    days=int(rng.integers(28, 34)), seconds=int(rng.integers(0, 3600))
                )
                rows.append((ref_at, p, m, "Refresh", True))
    rows.sort(key=lambda t: (t[0], t[1], t[2]))
    subs = []
    for k, (at, p, m, ftype, refresh) in enumerate(rows):
        usid = FIRST_SUBMISSION_ID + k
        month = cal.month_starts[m].strftime("%Y-%m")
        subs.append(
            Submission(
                key=f"{month}_{providers[p]}_{ftype}_{usid}",
                folder=f"{month}/{providers[p]}_{ftype}_{usid}",
                provider=p,
                provider_code=providers[p],
                month=m,
                file_type=ftype,
                has_refresh=refresh,
                usid=usid,
                submitted_at=at.strftime("%Y-%m-%d %H:%M:%S"),
                period_start=cal.month_starts[m],
                period_end=from_day(int(cal.end_days[m])),
            )
        )
    return subs


def _dates(days: np.ndarray) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64)
    out = d.astype("datetime64[D]")
    out[d >= NO_DAY] = np.datetime64("NaT")
    return out


def _labels(values: list[str], idx: np.ndarray) -> pd.Categorical:
    """Codes as a categorical (index -1 = null)."""
    return pd.Categorical.from_codes(np.asarray(idx, dtype=np.int64), categories=values)


def register_world(
    con: duckdb.DuckDBPyConnection,
    rng: np.random.Generator,
    world: World,
    cal: Calendar,
    subs: list[Submission],
    pct_codes: list[str],
    ccg_codes: list[str],
    later_code: Callable[[str, str], str],
) -> None:
    """Load the simulated history into DuckDB tables used by the table queries."""
    R = world.referrals
    n = R.ref_day.size
    subs_df = pd.DataFrame(
        {
            "sid": np.arange(len(subs)),
            "key": [s.key for s in subs],
            "prov": [s.provider for s in subs],
            "m": [s.month for s in subs],
            "is_primary": [s.file_type == "Primary" for s in subs],
            "has_refresh": [s.has_refresh for s in subs],
            "usid": [s.usid for s in subs],
        }
    )
    months_df = pd.DataFrame(
        {
            "m": np.arange(cal.n),
            "month_start": _dates(cal.start_days),
            "month_end": _dates(cal.end_days),
            "era": cal.commissioner_era,
        }
    )
    unknown = "X98"  # not a real PCT/CCG code: an unknown commissioner

    def comm(idx: np.ndarray, codes_: list[str]) -> pd.Categorical:
        return _labels([*codes_, unknown], np.where(idx == -2, len(codes_), idx))

    def later(era: str) -> pd.Categorical:
        """The referral's 2013 CCG as the code its area carries in a later era."""
        codes_ = sorted({later_code(c, era) for c in ccg_codes})
        pos = np.array([codes_.index(later_code(c, era)) for c in ccg_codes], dtype=np.int64)
        return comm(
            np.where(R.comm_ccg >= 0, pos[np.clip(R.comm_ccg, 0, None)], R.comm_ccg), codes_
        )

    ref_df = pd.DataFrame(
        {
            "i": np.arange(n),
            "prov": R.provider,
            "patient": R.patient,
            "ref_date": _dates(R.ref_day),
            "disch_date": _dates(R.disch_day),
            "disch_m": np.where(R.disch_day < NO_DAY, cal.month_of(R.disch_day), cal.n),
            "end_code": _labels(ALL_END_CODES, R.end_code),
            "source": _labels(codes.SOURCE, R.source),
            "age": R.age,
            "comm_pct": comm(R.comm_pct, pct_codes),
            "comm_ccg": comm(R.comm_ccg, ccg_codes),
            # later eras: the code the 2013 CCG's area carries then (same null/unknown)
            "comm_ccg21": later("ccg21"),
            "comm_sub_icb": later("sub_icb"),
            "gender": _labels(codes.GENDER, R.gender),
            "ethnic": _labels(codes.ETHNIC, R.ethnic),
            "lsoa": R.lsoa,
        }
    )
    # a discharge in the last week of a month is sometimes recorded only in the refresh
    disch_dom_late = (R.disch_day < NO_DAY) & (
        R.disch_day > cal.end_days[np.clip(cal.month_of(R.disch_day), 0, cal.n - 1)] - 7
    )
    ref_df["late_disch"] = disch_dom_late & (rng.random(n) < LATE_DISCHARGE_P)

    first_m = cal.month_of(R.ref_day)
    last_m = np.minimum(np.where(R.disch_day < NO_DAY, cal.month_of(R.disch_day), cal.n), cal.n - 1)
    counts = last_m - first_m + 1
    owner = np.repeat(np.arange(n), counts)
    m = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts) + first_m[owner]
    refmonth_df = pd.DataFrame({"i": owner, "m": m})

    def late(days: np.ndarray) -> np.ndarray:
        mi = np.clip(cal.month_of(days), 0, cal.n - 1)
        return (days > cal.end_days[mi] - 10) & (rng.random(days.size) < LATE_EVENT_P)

    C = world.contacts
    contacts_df = pd.DataFrame(
        {
            "c": np.arange(C.ref.size),
            "i": C.ref,
            "m": cal.month_of(C.day),
            "day": _dates(C.day),
            "app_type": _labels(APP_TYPES, C.app_type),
            "attend": _labels(ATTEND_CODES, C.attend),
            "mech": _labels(codes.CONS_MECH, C.mech),
            "therapy": _labels(THERAPY_CODES, C.therapy),
            "late": late(C.day),
        }
    )
    S = world.scores
    integer = np.array([codes.QUESTIONNAIRES.get(t, (0, 0, 0, True))[3] for t in codes.TOOL_CODES])
    scores_df = pd.DataFrame(
        {
            "s": np.arange(S.ref.size),
            "i": S.ref,
            "c": S.contact,
            "m": cal.month_of(S.day),
            "day": _dates(S.day),
            "tool": _labels(codes.TOOL_CODES, S.tool),
            "score": S.score,
            "integer": integer[S.tool],
            "late": late(S.day),
        }
    )
    P = world.complaints
    complaints_df = pd.DataFrame(
        {
            "k": np.arange(P.ref.size),
            "i": P.ref,
            "code": _labels(codes.COMPLAINT_CODES, P.code),
            "sig": P.sig.astype(str),
            "day": _dates(P.day),
        }
    )
    E = world.employment
    emp_df = pd.DataFrame(
        {
            "e": np.arange(E.ref.size),
            "i": E.ref,
            "m": cal.month_of(E.day),
            "day": _dates(E.day),
            "status": _labels(codes.EMPLOY, E.status),
            "ssp": _labels(codes.INDICATOR, E.ssp),
            "benefit": _labels(codes.INDICATOR, E.benefit),
            "late": late(E.day),
        }
    )
    for name, df in [
        ("g_subs", subs_df),
        ("g_months", months_df),
        ("g_ref", ref_df),
        ("g_refmonth", refmonth_df),
        ("g_contacts", contacts_df),
        ("g_scores", scores_df),
        ("g_complaints", complaints_df),
        ("g_emp", emp_df),
    ]:
        dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
        cast = ", ".join(f'cast("{c}" as date) as "{c}"' for c in dates)
        select = f"* replace ({cast})" if dates else "*"
        con.register(f"{name}_df", df)
        con.execute(f"create or replace table {name} as select {select} from {name}_df")
        con.unregister(f"{name}_df")


# Each query yields: sid (submission number), ord (row order in the file), then the
# contract columns.
_PID = "'PW' || lpad(cast({i} as varchar), 10, '0')"
_LPID = "'LP' || lpad(cast({p} as varchar), 10, '0')"
_CCID = "'CC' || lpad(cast({c} as varchar), 10, '0')"
_KEEP = "not (s.is_primary and s.has_refresh and {late})"

TABLE_QUERIES: dict[str, str] = {
    "IDS101_Referral": f"""
        select s.sid, r.i as ord,
          cast(s.usid as varchar) as UniqueSubmissionID,
          'SR' || lpad(cast(r.i as varchar), 10, '0') as ServiceRequestId,
          {_PID.format(i="r.i")} as PathwayID,
          {_LPID.format(p="r.patient")} as LocalPatientId,
          cast(case mo.era when 'pct' then r.comm_pct when 'ccg' then r.comm_ccg
            when 'ccg21' then r.comm_ccg21 else r.comm_sub_icb end as varchar) as OrgIDComm,
          cast(r.ref_date as varchar) as ReferralRequestReceivedDate,
          cast(r.source as varchar) as SourceOfReferralIAPT,
          cast(r.age as varchar) as AgeAtReferral,
          case when rm.m = r.disch_m and {_KEEP.format(late="r.late_disch")}
            then cast(r.disch_date as varchar) end as ServDischDate,
          case when rm.m = r.disch_m and {_KEEP.format(late="r.late_disch")}
            then cast(r.end_code as varchar) end as EndCode
        from g_refmonth rm
        join g_ref r on r.i = rm.i
        join g_months mo on mo.m = rm.m
        join g_subs s on s.prov = r.prov and s.m = rm.m
    """,
    "IDS001_MPI": f"""
        with pats as (
          select distinct s.sid, s.usid, r.patient
          from g_refmonth rm
          join g_ref r on r.i = rm.i
          join g_subs s on s.prov = r.prov and s.m = rm.m
        )
        select p.sid, p.patient as ord,
          cast(p.usid as varchar) as UniqueSubmissionID,
          {_LPID.format(p="p.patient")} as LocalPatientId,
          cast(a.gender as varchar) as Gender,
          cast(a.ethnic as varchar) as EthnicCategory,
          case when a.lsoa > 0 then 'E01' || lpad(cast(a.lsoa as varchar), 6, '0') end as LSOA2011
        from pats p
        join g_ref a on a.i = p.patient
    """,
    "IDS603_PresentingComplaints": f"""
        select s.sid, c.k as ord,
          cast(s.usid as varchar) as UniqueSubmissionID,
          {_PID.format(i="c.i")} as PathwayID,
          cast(c.code as varchar) as PresComp,
          c.sig as PresCompCodSig,
          cast(c.day as varchar) as PresCompDate
        from g_refmonth rm
        join g_ref r on r.i = rm.i
        join g_months mo on mo.m = rm.m
        join g_complaints c on c.i = rm.i and c.day <= mo.month_end
        join g_subs s on s.prov = r.prov and s.m = rm.m
    """,
    "IDS201_CareContact": f"""
        select s.sid, c.c as ord,
          cast(s.usid as varchar) as UniqueSubmissionID,
          {_CCID.format(c="c.c")} as CareContactId,
          {_PID.format(i="c.i")} as PathwayID,
          cast(c.day as varchar) as CareContDate,
          cast(c.app_type as varchar) as AppType,
          cast(c.attend as varchar) as AttendOrDNACode,
          cast(c.mech as varchar) as ConsMechanism,
          cast(c.therapy as varchar) as TherapyType
        from g_contacts c
        join g_ref r on r.i = c.i
        join g_subs s on s.prov = r.prov and s.m = c.m
        where {_KEEP.format(late="c.late")}
    """,
    "IDS606_CodedScoreAssessment": f"""
        select s.sid, x.s as ord,
          cast(s.usid as varchar) as UniqueSubmissionID,
          {_PID.format(i="x.i")} as PathwayID,
          case when x.c >= 0 then {_CCID.format(c="x.c")} end as CareContactId,
          cast(x.tool as varchar) as CodedAssToolType,
          case when x.integer then cast(cast(round(x.score) as bigint) as varchar)
            else printf('%.2f', x.score) end as PersScore,
          cast(x.day as varchar) as AssToolCompDate
        from g_scores x
        join g_ref r on r.i = x.i
        join g_subs s on s.prov = r.prov and s.m = x.m
        where {_KEEP.format(late="x.late")}
    """,
    "IDS004_EmpStatus": f"""
        select s.sid, e.e as ord,
          cast(s.usid as varchar) as UniqueSubmissionID,
          {_LPID.format(p="r.patient")} as LocalPatientId,
          cast(e.status as varchar) as EmployStatus,
          cast(e.day as varchar) as EmployStatusRecDate,
          cast(e.ssp as varchar) as SSPInd,
          cast(e.benefit as varchar) as BenefitRecInd
        from g_emp e
        join g_ref r on r.i = e.i
        join g_subs s on s.prov = r.prov and s.m = e.m
        where {_KEEP.format(late="e.late")}
    """,
}


# event tables first: IDS101 faults need to know which referrals have events
TABLE_ORDER = [
    "IDS201_CareContact",
    "IDS606_CodedScoreAssessment",
    "IDS004_EmpStatus",
    "IDS101_Referral",
    "IDS603_PresentingComplaints",
    "IDS001_MPI",
]
