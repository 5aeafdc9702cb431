"""A small synthetic warehouse for the publication tests: marts.measures,
reference.measure_catalogue and marts.dim_submissions, with many small counts so that
every disclosure rule is exercised. Values are random but seeded; expected published
values in the tests are derived from the raw numbers here, never from the code."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime
from pathlib import Path

import duckdb

from dq_marts_support import build_report_models, create_empty_dq_marts

COUNT_MEASURES = {
    "M001": "Count_ReferralsReceived",
    "M031": "Count_AccessingServices",
    "M076": "Count_FinishedCourseTreatment",
    "M179": "Count_NotAtCaseness",
    "M191": "Count_Recovery",
    "M052": "Count_AccessingServices6WeeksFinishedCourseTreatment",
    "M054": "Count_AccessingServices18WeeksFinishedCourseTreatment",
}
KPI_COUNT_MEASURES = {"K006": "Count_MovedOffSickPayBenefits", "K103": "Count_WaitingOver28Days"}
PERCENT_MEASURES = {
    "M192": "Percentage_Recovery",
    "M053": "Percentage_AccessingServices6WeeksFinishedCourseTreatment",
    "M055": "Percentage_AccessingServices18WeeksFinishedCourseTreatment",
    "K101": "Percentage_Access",
    "K102": "Percentage_EnteredOfReferred",
}
KPI_PERCENT_MEASURES = {
    "K104": "Percentage_ResponseRate",
    "K111": "Percentage_ChangeOnPreviousQuarter_ReferralsReceived",
    "K112": "Percentage_ChangeOnPreviousQuarter_AccessingServices",
    "K113": "Percentage_ChangeOnPreviousQuarter_MovedOffSickPayBenefits",
}
AVERAGE_MEASURES = {"M048": ("Mean_WaitAccessingServices", "mean"),
                    "M049": ("Median_WaitAccessingServices", "median")}  # fmt: skip

# A name that needs quoting in CSV and escaping in XML and HTML.
ASH = 'Ash & Elm, "Birch" <Talking> Therapies'
MONTHS = [date(2013, m, 1) for m in range(1, 7)]
QUARTERS = [(date(2013, 1, 1), date(2013, 3, 31)), (date(2013, 4, 1), date(2013, 6, 30))]
KPI_QUARTERS = [
    (date(2012, 4, 1), date(2012, 6, 30)),
    (date(2012, 7, 1), date(2012, 9, 30)),
    (date(2012, 10, 1), date(2012, 12, 31)),
    (date(2013, 1, 1), date(2013, 3, 31)),
]
RL_ORGS = [
    ("England", "all", "all", "all", "all"),
    ("Region", "Q01", "North", "all", "all"),
    ("Region", "Q02", "South", "all", "all"),
    ("Commissioner", "C01", "Alpha CCG", "all", "all"),
    ("Commissioner", "C02", "Beta CCG", "all", "all"),
    ("Commissioner", "UNKNOWN", "Unknown", "all", "all"),
    ("Provider", "all", "all", "P01", "Oak Talking Therapies"),
    ("Provider", "all", "all", "P02", ASH),
    ("Provider", "all", "all", "P03", "Elm Talking Therapies"),
    ("Provider", "all", "all", "P04", "Yew Talking Therapies"),
    ("Provider", "all", "all", "P05", "Fir Talking Therapies"),
    ("Commissioner/Provider", "C01", "Alpha CCG", "P01", "Oak Talking Therapies"),
    ("Commissioner/Provider", "C02", "Beta CCG", "P02", ASH),
]
KPI_ORGS = [
    ("England", "all", "all", "all", "all"),
    ("Region", "Q30", "North East SHA", "all", "all"),
    ("Commissioner", "5D7", "Newcastle PCT", "all", "all"),
    ("Commissioner", "5KF", "Gateshead PCT", "all", "all"),
]
MEASURES_DDL = """
create table marts.measures (
  reporting_period_start date, reporting_period_end date, period_type varchar,
  status varchar, source varchar, group_type varchar, org_code1 varchar, org_name1 varchar,
  org_code2 varchar, org_name2 varchar, breakdown varchar, breakdown_value varchar,
  measure_id varchar, measure_name varchar, numerator double, denominator double,
  measure_value double)
"""


def month_end(start: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def expected_in_scope(row: dict, as_at: str) -> bool:
    """The release scope of docs/publication.md, written again for the tests from a
    marts.measures row: periods ending after the as-at month never; KPI returns always;
    record-level rows at every level when the period ends in the as-at month or the
    month before; else England Total rows only."""
    year, month = (int(x) for x in as_at.split("-"))
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    end = row["reporting_period_end"]
    if (end.year, end.month) > (year, month):
        return False
    if row["source"] == "kpi_return" or (end.year, end.month) in ((year, month), before):
        return True
    return row["group_type"] == "England" and row["breakdown"] == "Total"


def _counts(rng: random.Random, group: str) -> dict[str, int]:
    big = group == "England"

    def draw(low: int, high: int) -> int:
        if not big and rng.random() < 0.35:
            return rng.randint(0, 6)
        return rng.randint(low, high) * (20 if big else 1)

    referrals = draw(5, 400)
    entered = min(referrals, draw(5, 300))
    finished = draw(5, 200)
    not_caseness = min(finished, rng.randint(0, max(0, finished // 5)))
    recovered = rng.randint(0, finished - not_caseness)
    six = rng.randint(0, finished)
    eighteen = rng.randint(six, finished)
    return {"M001": referrals, "M031": entered, "M076": finished, "M179": not_caseness,
            "M191": recovered, "M052": six, "M054": eighteen}  # fmt: skip


def measure_rows(seed: int = 11) -> list[tuple]:
    rng = random.Random(seed)
    rows: list[tuple] = []
    periods = [("month", s, month_end(s), "Provisional" if s.month == 6 else "Final")
               for s in MONTHS]  # fmt: skip
    periods += [("quarter", s, e, "Provisional" if e.month == 6 else "Final") for s, e in QUARTERS]
    for ptype, start, end, status in periods:
        for group, c1, n1, c2, n2 in RL_ORGS:
            breakdowns = [("Total", "Total")]
            if group in ("England", "Provider") and ptype == "month":
                breakdowns += [("Age band", "18-25"), ("Age band", "26-35")]
            for breakdown, bvalue in breakdowns:
                base = (start, end, ptype, status, "record_level", group, c1, n1, c2, n2,
                        breakdown, bvalue)  # fmt: skip
                rows += _record_rows(rng, base, group, start)
    previous: dict[tuple, dict[str, int]] = {}
    for start, end in KPI_QUARTERS:
        status = "Provisional" if start == KPI_QUARTERS[-1][0] else "Final"
        for group, c1, n1, c2, n2 in KPI_ORGS:
            base = (start, end, "quarter", status, "kpi_return", group, c1, n1, c2, n2,
                    "Total", "Total")  # fmt: skip
            counts = _counts(rng, group)
            counts["K006"] = rng.randint(0, 30) * (10 if group == "England" else 1)
            counts["K103"] = rng.randint(0, 8) * (10 if group == "England" else 1)
            for mid in ("M001", "M031", "M076", "M179", "M191"):
                rows.append((*base, mid, COUNT_MEASURES[mid], counts[mid], None, counts[mid]))
            for mid, name in KPI_COUNT_MEASURES.items():
                rows.append((*base, mid, name, counts[mid], None, counts[mid]))
            rows += _rate(base, "M192", counts["M191"], counts["M076"] - counts["M179"])
            need = rng.choice([None, 4000 * (30 if group == "England" else 1)])
            rows += _rate(base, "K101", counts["M031"], need)
            rows += _rate(base, "K102", counts["M031"], counts["M001"])
            if group in ("England", "Region"):
                returned = rng.randint(3, 12)
                rows.append((*base, "K104", KPI_PERCENT_MEASURES["K104"], returned, 12,
                             100 * returned / 12))  # fmt: skip
            prev = previous.get((group, c1))
            for mid, cid in (("M001", "K111"), ("M031", "K112"), ("K006", "K113")):
                if prev is None or prev[mid] == 0:
                    rows.append((*base, cid, KPI_PERCENT_MEASURES[cid], None, None, None))
                else:
                    diff = counts[mid] - prev[mid]
                    rows.append((*base, cid, KPI_PERCENT_MEASURES[cid], diff, prev[mid],
                                 100 * diff / prev[mid]))  # fmt: skip
            previous[(group, c1)] = counts
    return rows


def _rate(base: tuple, mid: str, num: float | None, den: float | None) -> list[tuple]:
    name = PERCENT_MEASURES.get(mid) or KPI_PERCENT_MEASURES[mid]
    value = None if num is None or not den else 100 * num / den
    return [(*base, mid, name, num, den, value)]


def _record_rows(rng: random.Random, base: tuple, group: str, start: date) -> list[tuple]:
    counts = _counts(rng, group)
    rows = [(*base, mid, name, counts[mid], None, counts[mid]) for mid, name in
            COUNT_MEASURES.items()]  # fmt: skip
    rows += _rate(base, "M192", counts["M191"], counts["M076"] - counts["M179"])
    rows += _rate(base, "M053", counts["M052"], counts["M076"])
    rows += _rate(base, "M055", counts["M054"], counts["M076"])
    need = 5000 * (40 if group == "England" else 1)
    rows += _rate(base, "K101", counts["M031"], need)
    rows += _rate(base, "K102", counts["M031"], counts["M001"])
    n = counts["M031"]
    waits = [rng.randint(1, 200) for _ in range(min(n, 50))]
    mean = sum(waits) / len(waits) if waits else None
    ordered = sorted(waits)
    median = None
    if ordered:
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    rows.append((*base, "M048", "Mean_WaitAccessingServices",
                 None if mean is None else mean * n, n, mean))  # fmt: skip
    rows.append((*base, "M049", "Median_WaitAccessingServices", None, n, median))
    return rows


def catalogue_rows() -> list[tuple[str, str, str, str]]:
    rows = [(m, n, "count", f"Count {n}") for m, n in {**COUNT_MEASURES,
            **KPI_COUNT_MEASURES}.items()]  # fmt: skip
    rows += [(m, n, "percentage", f"Rate {n}") for m, n in {**PERCENT_MEASURES,
             **KPI_PERCENT_MEASURES}.items()]  # fmt: skip
    rows += [(m, n, t, f"Average {n}") for m, (n, t) in AVERAGE_MEASURES.items()]
    return rows


def submission_rows() -> list[tuple]:
    rows = []
    sid = 1000
    for start in MONTHS:
        for provider in ("P01", "P02", "P03", "P04", "P05"):
            sid += 1
            rows.append((sid, provider, start, "Primary", datetime(start.year, start.month, 20),
                         start.month == 6, "used" if start.month == 6 else
                         "superseded by refresh"))  # fmt: skip
            if start.month != 6:
                sid += 1
                rows.append((sid, provider, start, "Refresh",
                             datetime(start.year, start.month + 1, 25), True, "used"))  # fmt: skip
    return rows


def _load(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], path: Path) -> None:
    """Bulk load through a CSV file (executemany is slow in DuckDB)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    con.execute(f"copy {table} from '{path}' (header false, nullstr '')")
    path.unlink()


SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "publication"
SEED_TYPES = {
    "publication_group_types": "{'era_start': 'DATE', 'era_end': 'DATE'}",
    "publication_breakdown_labels": "{'in_dictionary': 'BOOLEAN'}",
    "official_measure_dictionary": "{}",
}


def load_publication_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """The official layout's seeds, as dbt loads them into `reference`."""
    for seed, types in SEED_TYPES.items():
        con.execute(
            f"create table reference.{seed} as select * from read_csv('{SEEDS / seed}.csv',"
            f" header = true, all_varchar = {str(types == '{}').lower()}, types = {types})"
        )


DIM_BUILD_DDL = """
create table marts.dim_build (
  as_at_month varchar, is_as_at_month_requested boolean, raw_fingerprint varchar,
  raw_file_count bigint, is_synthetic boolean, synthetic_marker varchar, built_at timestamp,
  invocation_id varchar, dbt_version varchar, project_version varchar, target_name varchar,
  engine varchar)
"""


def add_dim_build(
    con: duckdb.DuckDBPyConnection, built_as_at: str | None = None, synthetic: bool = True
) -> None:
    """marts.dim_build as dbt writes it; built for built_as_at, else (like a build without
    the var) for the latest month of marts.measures: a month row's, else a period end's."""
    con.execute(DIM_BUILD_DDL)
    con.execute(
        "insert into marts.dim_build select coalesce(?, strftime(coalesce("
        "max(case when period_type = 'month' then reporting_period_start end),"
        " max(reporting_period_end)), '%Y-%m')), ? is not null, 'fingerprint-1', 42, ?,"
        " '{\"synthetic\": true}', timestamp '2026-12-01 10:00:00', 'invocation-1',"
        " '1.11.0', '0.1.0', 'duckdb', 'duckdb' from marts.measures",
        [built_as_at, built_as_at, synthetic],
    )


def build_warehouse(
    path: Path,
    rows: list[tuple] | None = None,
    built_as_at: str | None = None,
    *,
    synthetic: bool = True,
) -> Path:
    """A warehouse as dbt leaves it, built for built_as_at (default: the latest month)
    from synthetic (or, with synthetic=False, real) input."""
    con = duckdb.connect(str(path))
    scratch = path.with_suffix(".load.csv")
    try:
        con.execute("create schema marts")
        con.execute("create schema reference")
        con.execute(MEASURES_DDL)
        _load(con, "marts.measures", rows if rows is not None else measure_rows(), scratch)
        con.execute(
            "create table reference.measure_catalogue (measure_id varchar, measure_name varchar,"
            " measure_type varchar, description varchar)"
        )
        _load(con, "reference.measure_catalogue", catalogue_rows(), scratch)
        con.execute(
            "create table marts.dim_submissions (unique_submission_id bigint, provider_code"
            " varchar, reporting_period_start date, file_type varchar, submitted_at timestamp,"
            " is_used boolean, selection_reason varchar)"
        )
        _load(con, "marts.dim_submissions", submission_rows(), scratch)
        # The rest of the real dim_submissions columns, read by the data-quality statement.
        con.execute(
            "alter table marts.dim_submissions add column reporting_period_end date;"
            "alter table marts.dim_submissions add column submission_folder varchar;"
            "alter table marts.dim_submissions add column superseded_by_submission_id bigint;"
            "update marts.dim_submissions set reporting_period_end = last_day("
            "reporting_period_start), submission_folder = 'iapt_v2/' || unique_submission_id"
        )
        create_empty_dq_marts(con)  # the data-quality statement is part of every release
        # coverage as dbt derives it from the submissions (every provider expected)
        con.execute(
            "insert into marts.fct_submission_coverage (reporting_period_start,"
            " reporting_period_end, is_as_at_month, providers_expected, providers_submitting,"
            " providers_primary_used, providers_refresh_used, providers_missing,"
            " coverage_share) select month, last_day(month), false, expected, submitting,"
            " primary_used, refresh_used, expected - submitting, submitting / expected from ("
            "select reporting_period_start as month,"
            " count(distinct provider_code) filter (where is_used) as submitting,"
            " (select count(distinct provider_code) from marts.dim_submissions) as expected,"
            " count(*) filter (where is_used and file_type = 'Primary') as primary_used,"
            " count(*) filter (where is_used and file_type = 'Refresh') as refresh_used"
            " from marts.dim_submissions group by reporting_period_start)"
        )
        load_publication_seeds(con)
        add_dim_build(con, built_as_at, synthetic)
        build_report_models(con)  # the statement's report tables over the marts above
    finally:
        con.close()
    return path


def test_synthetic_warehouse_has_every_disclosure_case(tmp_path: Path) -> None:
    """The fixture must exercise the rules, else the property tests prove nothing."""
    warehouse = build_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(warehouse), read_only=True)
    counts = dict(con.execute("""
        select 'small', count(*) from marts.measures m join reference.measure_catalogue c
          using (measure_id) where c.measure_type = 'count' and group_type <> 'England'
          and measure_value between 1 and 4
        union all select 'zero', count(*) from marts.measures where measure_value = 0
          and group_type <> 'England'
        union all select 'pct_small', count(*) from marts.measures m
          join reference.measure_catalogue c using (measure_id)
          where c.measure_type = 'percentage' and (numerator < 5 or denominator < 5)
        union all select 'kpi_overlap', count(*) from marts.measures
          where source = 'kpi_return' and reporting_period_start = date '2013-01-01'
    """).fetchall())  # fmt: skip
    con.close()
    assert all(v > 0 for v in counts.values()), counts
