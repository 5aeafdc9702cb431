"""Calibration check: rates measured on generated CSVs with an independent DuckDB query.

Reads only the raw files (never the generator's internals) and applies the contract's
selection rules in a simplified form (clean data assumed: no rejection handling).

    PYTHONPATH=scripts .venv/bin/python -m iapt_tools.generator.calibration target/raw
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

# England 2023-24 (shared/reference/iapt_national_annual_totals.csv and, for waits,
# appointments and entered treatment, the sum/median of the 12 monthly England values in
# shared/reference/iapt_monthly_england_2021_01_to_2026_03.csv).
TARGETS: dict[str, tuple[float, str]] = {
    "entered_of_referred": (0.696, "M031 1,257,718 / M001 1,806,326 (monthly sums 2023-24)"),
    "assessed_of_referred": (0.675, "M023 1,218,744 / M001 1,806,326"),
    "finished_of_referred": (0.367, "finished 671,648 / referrals 1,829,202 (annual 2023-24)"),
    "finished_of_entered": (0.533, "M076 670,565 / M031 1,257,718"),
    "recovery_rate": (0.501, "recovery 50.1% (annual 2023-24)"),
    "reliable_improvement_rate": (0.668, "improvement 66.8% of finished (annual 2023-24)"),
    "reliable_deterioration_rate": (0.059, "deterioration 5.9% (annual 2023-24)"),
    "not_at_caseness_of_finished": (0.055, "not at caseness 37,164 / finished 671,648"),
    "median_wait_days": (11.5, "M049 median of the monthly medians 2023-24"),
    "mean_wait_days": (17.5, "M048 mean of the monthly means 2023-24"),
    "finished_within_6_weeks": (0.90, "M053 median monthly value 2023-24"),
    "dna_rate": (0.095, "M084 771,726 / M082 8,125,808"),
    "attended_on_time_rate": (0.738, "M086 5,993,158 / M082 8,125,808"),
    "appointments_per_referral": (4.50, "M082 8,125,808 / M001 1,806,326"),
}

SQL = r"""
create or replace temp table hdr as
  select * from read_csv('{root}/iapt_v2/**/IDS000_Header.csv', all_varchar = true,
                         filename = true);
create or replace temp table used as
  select UniqueSubmissionID as usid, OrgIDProv as prov,
         cast(ReportingPeriodStartDate as date) as ms,
         cast(ReportingPeriodEndDate as date) as me
  from (select *, row_number() over (partition by OrgIDProv, ReportingPeriodStartDate
                   order by FileType = 'Refresh' desc, SubmittedAt desc,
                   cast(UniqueSubmissionID as bigint) desc) as k from hdr)
  where k = 1;
create or replace temp table ref_all as
  select r.*, u.ms, u.me, u.prov from read_csv('{root}/iapt_v2/**/IDS101_Referral.csv',
    all_varchar = true) r join used u on u.usid = r.UniqueSubmissionID;
create or replace temp table ref as
  select PathwayID as pid, prov, UniqueSubmissionID as usid,
         cast(ReferralRequestReceivedDate as date) as rdate,
         cast(ServDischDate as date) as ddate, EndCode as end_code
  from (select *, row_number() over (partition by PathwayID order by ms desc) as k from ref_all)
  where k = 1;
create or replace temp table cc as
  select c.*, cast(c.CareContDate as date) as cdate from
    read_csv('{root}/iapt_v2/**/IDS201_CareContact.csv', all_varchar = true) c
    join used u on u.usid = c.UniqueSubmissionID
  where cast(c.CareContDate as date) between u.ms and u.me;
create or replace temp table span as
  select min(ms) as first_ms, max(me) as last_me from used;
create or replace temp table ep as
  select r.pid, r.rdate, r.ddate,
    min(case when c.AttendOrDNACode in ('5','6') and c.AppType in ('02','03','05')
             and c.cdate >= r.rdate and c.cdate <= coalesce(r.ddate, s.last_me)
        then c.cdate end) as first_treat,
    max(case when c.AttendOrDNACode in ('5','6') and c.AppType in ('02','03','05')
             and c.cdate >= r.rdate and c.cdate <= coalesce(r.ddate, s.last_me)
        then c.cdate end) as last_treat,
    count(distinct case when c.AttendOrDNACode in ('5','6') and c.AppType in ('02','03','05')
             and c.cdate >= r.rdate and c.cdate <= coalesce(r.ddate, s.last_me)
        then c.CareContactId end) as n_treat,
    min(case when c.AttendOrDNACode in ('5','6') and c.AppType in ('01','03')
             and c.cdate >= r.rdate then c.cdate end) as first_assess
  from ref r cross join span s left join cc c on c.PathwayID = r.pid
  group by r.pid, r.rdate, r.ddate;
create or replace temp table pc as
  select p.PathwayID as pid, p.PresComp as code from (
    select p.*, row_number() over (partition by p.PathwayID order by p.PresCompCodSig,
      cast(p.PresCompDate as date) desc, p.PresComp desc) as k
    from read_csv('{root}/iapt_v2/**/IDS603_PresentingComplaints.csv', all_varchar = true) p
    join ref r on r.pid = p.PathwayID and r.usid = p.UniqueSubmissionID) p where k = 1;
create or replace temp table adsm as
  select e.pid, case
    when pc.code like 'F400%' then '473355002' when pc.code like 'F401%' then '445552006'
    when pc.code like 'F410%' then '450326007' when pc.code like 'F42%' then '450324005'
    when pc.code like 'F431%' then '491581000000104' when pc.code like 'F452%' then '446793008'
    else '445455005' end as adsm
  from ep e left join pc on pc.pid = e.pid;
create or replace temp table sc as
  select s.PathwayID as pid, s.CodedAssToolType as tool, cast(s.PersScore as double) as score,
         cast(s.AssToolCompDate as date) as sdate, s.CareContactId as ccid
  from read_csv('{root}/iapt_v2/**/IDS606_CodedScoreAssessment.csv', all_varchar = true) s
  join used u on u.usid = s.UniqueSubmissionID
  where cast(s.AssToolCompDate as date) between u.ms and u.me;
create or replace temp table fin as
  select * from ep where ddate is not null and n_treat >= 2;
create or replace temp table fin_sc as
  select f.pid, s.tool, s.score, s.sdate, s.ccid from fin f join sc s on s.pid = f.pid
  where s.sdate between f.rdate and f.ddate;
create or replace temp table meas as
  select f.pid, case when count(x.pid) >= 2 then a.adsm else '445455005' end as anx
  from fin f join adsm a on a.pid = f.pid
  left join fin_sc x on x.pid = f.pid and x.tool = a.adsm
  group by f.pid, a.adsm;
create or replace temp table fl as
  select x.pid, x.tool,
    arg_min(x.score, (epoch(x.sdate) * 1e6 + 0)) as first_score,
    arg_max(x.score, (epoch(x.sdate) * 1e6 + 0)) as last_score,
    count(*) as n
  from fin_sc x group by x.pid, x.tool;
create or replace temp table outc as
  select m.pid, p.first_score as p0, p.last_score as p1, a.first_score as a0,
    a.last_score as a1, m.anx,
    case m.anx when '445455005' then 8 when '473355002' then 2.3 when '445552006' then 19
      when '450326007' then 8 when '450324005' then 40 when '491581000000104' then 32
      when '446793008' then 18 end as thr,
    case m.anx when '445455005' then 4 when '473355002' then 0.73 when '445552006' then 10
      when '450326007' then 5 when '450324005' then 32 when '491581000000104' then 10
      when '446793008' then 4 end as rc,
    coalesce(p.n >= 2 and a.n >= 2, false) as paired
  from meas m left join fl p on p.pid = m.pid and p.tool = '720433000'
  left join fl a on a.pid = m.pid and a.tool = m.anx;
create or replace temp table outc2 as
  select *,
    paired and (p0 >= 10 or (case when anx = '473355002' then a0 > thr else a0 >= thr end))
      as caseness,
    paired and (p1 < 10 and (case when anx = '473355002' then a1 <= thr else a1 < thr end))
      as below_end,
    paired and ((p0 - p1 >= 6) or (a0 - a1 >= rc)) and not ((p1 - p0 >= 6) or (a1 - a0 >= rc))
      as improved,
    paired and ((p1 - p0 >= 6) or (a1 - a0 >= rc)) and not ((p0 - p1 >= 6) or (a0 - a1 >= rc))
      as deteriorated
  from outc;
"""

RESULT_SQL = r"""
with cohort as (
  select * from ep, span
  where rdate < (select first_ms + interval 6 month from span)
), waits as (
  select datediff('day', rdate, first_treat) as w from ep where first_treat is not null
)
select
  (select count(*) from ep) as referrals,
  (select count(*) filter (where first_treat is not null) / count(*) from cohort)
    as entered_of_referred,
  (select count(*) filter (where first_assess is not null) / count(*) from cohort)
    as assessed_of_referred,
  (select count(*) filter (where ddate is not null and n_treat >= 2) / count(*) from cohort)
    as finished_of_referred,
  (select count(*) filter (where ddate is not null and n_treat >= 2)
     / count(*) filter (where first_treat is not null) from cohort) as finished_of_entered,
  (select count(*) filter (where caseness and below_end)
     / count(*) filter (where caseness) from outc2) as recovery_rate,
  (select avg(improved::int) from outc2) as reliable_improvement_rate,
  (select avg(deteriorated::int) from outc2) as reliable_deterioration_rate,
  (select avg((paired and not caseness)::int) from outc2) as not_at_caseness_of_finished,
  (select median(w) from waits) as median_wait_days,
  (select avg(w) from waits) as mean_wait_days,
  (select avg((datediff('day', rdate, first_treat) <= 42)::int) from fin)
    as finished_within_6_weeks,
  (select avg((AttendOrDNACode = '3')::int) from cc) as dna_rate,
  (select avg((AttendOrDNACode = '5')::int) from cc) as attended_on_time_rate,
  (select count(*) from cc) / (select count(*) from ep) as appointments_per_referral
"""


def measure(root: Path) -> dict[str, float]:
    con = duckdb.connect()
    for stmt in SQL.format(root=root.as_posix()).split(";"):
        if stmt.strip():
            con.execute(stmt)
    cur = con.execute(RESULT_SQL)
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return {
        n: (float(v) if v is not None else float("nan")) for n, v in zip(names, row, strict=True)
    }


def report(root: Path) -> str:
    got = measure(root)
    lines = [
        "| measure | target (England 2023-24) | achieved | achieved / target | target source |",
        "|---|---|---|---|---|",
    ]
    for name, (target, source) in TARGETS.items():
        value = got[name]
        lines.append(f"| {name} | {target:.3g} | {value:.3g} | {value / target:.2f} | {source} |")
    lines.append(f"\n({int(got['referrals'])} referrals in {root})")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("raw_dir", type=Path)
    p.add_argument("--json", action="store_true", help="print the measured values as JSON")
    a = p.parse_args()
    print(json.dumps(measure(a.raw_dir), indent=2) if a.json else report(a.raw_dir))


if __name__ == "__main__":
    main()
