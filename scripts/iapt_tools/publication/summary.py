"""The executive summary, built as a `document.model.Document` (rendered to Markdown and
self-contained HTML by `document.render`, templates summary.*.j2). Every number in its text
is a published (disclosure-controlled) value of measures.csv, or a percentage change
worked out from two published England values. It reads the few rows it needs (England
headline rows, the as-at month's providers) from the release's `published` table, the
same rows DuckDB wrote to measures.csv."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import duckdb

from iapt_tools.document.model import (
    Banner,
    Block,
    Bullets,
    Chart,
    Document,
    Heading,
    Links,
    Paragraph,
    Table,
)
from iapt_tools.publication import charts
from iapt_tools.publication.disclosure import SUPPRESSED, round_to_base_sql
from iapt_tools.publication.layout import KPI_RETURN_BREAKDOWN, PUBLISHED
from iapt_tools.publication.versioning import Revision

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MAX_REVISIONS_LISTED = 50


@dataclass(frozen=True)
class Coverage:
    """Record-level providers submitting in a month against those expected."""

    month: date
    submitting: int
    expected: int
    primary: int
    refresh: int


@dataclass(frozen=True)
class ReleaseInfo:
    """The release furniture: when, what status, from what input, who to contact."""

    published: date
    contact: str
    statistics_status: str
    is_synthetic: bool | None  # None: the warehouse does not record it (no marts.dim_build)
    coverage: tuple[Coverage, ...] = ()
    national_providers: int | None = None  # providers on the national reference list
    files: tuple[tuple[str, str], ...] = ()
    coverage_definition: str = ""


SYNTHETIC_BANNER = (
    "Synthetic demonstration data — not NHS figures. Every number in this release was "
    "computed from data made up by the project's generator; none describes real people "
    "or services."
)
UNKNOWN_INPUT_BANNER = (
    "The warehouse does not record where its input came from (no marts.dim_build): "
    "treat these figures as demonstration data, not NHS figures."
)
SOURCE_LINE = "Source: NHS Talking Therapies (IAPT) record-level data set, this release"
WARM_UP_DAYS = 126  # 18 weeks: waits and outcomes need this long of history to settle


# --- formatting -----------------------------------------------------------------------
def month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def period_label(start: date, end: date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return month_label(start)
    first = MONTHS[start.month - 1] if start.year == end.year else month_label(start)
    return f"{first} to {month_label(end)}"


def _number(text: str | None) -> Decimal | None:
    if text is None or text in ("", SUPPRESSED):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def fmt_count(text: str) -> str:
    value = _number(text)
    return f"{int(value):,}" if value is not None else "not published (*)"


def fmt_pct(text: str) -> str:
    return f"{text}%" if _number(text) is not None else "not published (*)"


def pct_change(current: str | None, previous: str | None) -> Decimal | None:
    cur, prev = _number(current), _number(previous)
    if cur is None or prev is None or prev == 0:
        return None
    return ((cur - prev) * 100 / prev).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_phrase(current: str | None, previous: str | None, previous_label: str) -> str:
    change = pct_change(current, previous)
    if change is None:
        return ""
    if change == 0:
        return f", unchanged on {previous_label}"
    direction = "up" if change > 0 else "down"
    return f", {direction} {abs(change)}% on {previous_label}"


# --- published values -----------------------------------------------------------------
class PublishedIndex:
    """Published England headline values (BREAKDOWN Total or KPI return) by (source,
    period type, period start, measure), with each period's end and status."""

    def __init__(self, rows: Sequence[tuple[str, str, date, date, str, str, str | None]]) -> None:
        self._values: dict[tuple[str, str, date, str], str] = {}
        self._periods: dict[tuple[str, str], dict[tuple[date, date], str]] = {}
        for source, period_type, start, end, status, measure, value in rows:
            self._values[(source, period_type, start, measure)] = value or ""
            self._periods.setdefault((source, period_type), {})[(start, end)] = status

    @classmethod
    def from_published(cls, con: duckdb.DuckDBPyConnection) -> PublishedIndex:
        rows = con.execute(
            f"select source, period_type, REPORTING_PERIOD_START, REPORTING_PERIOD_END, STATUS,"
            f" MEASURE_ID, MEASURE_VALUE from {PUBLISHED} where GROUP_TYPE = 'England'"
            f" and BREAKDOWN in ('Total', '{KPI_RETURN_BREAKDOWN}') order by rowid"
        ).fetchall()
        return cls(rows)

    def get(self, source: str, period_type: str, start: date, measure_id: str) -> str | None:
        return self._values.get((source, period_type, start, measure_id))

    def periods(self, source: str, period_type: str) -> list[tuple[date, date]]:
        return sorted(self._periods.get((source, period_type), {}))

    def status(self, source: str, period_type: str, period: tuple[date, date]) -> str:
        return self._periods[(source, period_type)][period]


@dataclass(frozen=True)
class ProviderRate:
    """A provider's published recovery rate (M192) and its denominator (M076 - M179)
    rounded to the nearest 5 by the disclosure rules."""

    code: str
    name: str
    rate: str
    denominator: int | None


def provider_rates(
    con: duckdb.DuckDBPyConnection, period: tuple[date, date], period_type: str
) -> list[ProviderRate]:
    rows = con.execute(
        f"""
        with p as (
            select ORG_CODE2 as code, any_value(ORG_NAME2) as name,
                   any_value(MEASURE_VALUE) filter (where MEASURE_ID = 'M192') as rate,
                   any_value(raw_value) filter (where MEASURE_ID = 'M076') as finished,
                   coalesce(any_value(raw_value) filter (where MEASURE_ID = 'M179'), 0)
                       as not_caseness,
                   bool_or(MEASURE_ID = 'M076') as has_finished
            from {PUBLISHED}
            where source = 'record_level' and period_type = ? and REPORTING_PERIOD_START = ?
              and GROUP_TYPE = 'Provider' and BREAKDOWN = 'Total'
            group by ORG_CODE2
        )
        select code, name, rate,
               case when has_finished then
                   {round_to_base_sql("coalesce(finished, 0) - not_caseness")} end
        from p where rate is not null order by code
        """,
        [period_type, period[0]],
    ).fetchall()
    return [
        ProviderRate(code, name, rate, None if n is None else int(n))
        for code, name, rate, n in rows
    ]


# --- sections -------------------------------------------------------------------------
def key_facts(
    index: PublishedIndex,
    source: str,
    period_type: str,
    period: tuple[date, date],
    previous: tuple[date, date] | None,
    access_withheld: str = "",
) -> list[str]:
    """access_withheld: the sentence said instead of the access rate when coverage is
    partial (empty: the rate is stated)."""
    start = period[0]
    prev_label = period_label(*previous) if previous else ""

    def get(measure: str, at: date | None = start) -> str | None:
        return index.get(source, period_type, at, measure) if at else None

    prev_start = previous[0] if previous else None

    def count_sentence(measure: str, what: str) -> str | None:
        value = get(measure)
        if value is None:
            return None
        change = change_phrase(value, get(measure, prev_start), prev_label)
        return f"{fmt_count(value)} {what}{change}."

    facts = [
        count_sentence("M001", "referrals were received (people referred)"),
        count_sentence("M031", "people entered treatment (had a first treatment appointment)"),
        count_sentence("M076", "people finished a course of treatment"),
    ]
    recovery = get("M192")
    if recovery is not None:
        sentence = (
            f"The recovery rate was {fmt_pct(recovery)} (target 50%) of people who finished "
            "a course of treatment and were at caseness when it started"
        )
        before = get("M192", prev_start)
        if previous and _number(before) is not None:
            sentence += f", compared with {fmt_pct(before or '')} in {prev_label}"
        facts.append(sentence + ".")
    for measure, weeks, standard in (("M053", 6, 75), ("M055", 18, 95)):
        value = get(measure)
        if value is None:
            continue
        number = _number(value)
        verdict = ""
        if number is not None:
            verdict = " — the standard was met" if number >= standard else " — below the standard"
        facts.append(
            f"{fmt_pct(value)} of people who finished a course of treatment had waited "
            f"{weeks} weeks or less for their first treatment (standard {standard}%){verdict}."
        )
    access = get("K101")
    if access is not None and access != "":
        if access_withheld:
            facts.append(access_withheld)
        else:
            facts.append(
                f"The access rate was {fmt_pct(access)}: people entering treatment as a "
                "percentage of the estimated number of people with depression or anxiety "
                "(level of need)."
            )
    return [f for f in facts if f]


def kpi_facts(index: PublishedIndex, period: tuple[date, date]) -> list[str]:
    start = period[0]
    source, ptype = "kpi_return", "quarter"

    def get(measure: str) -> str | None:
        return index.get(source, ptype, start, measure)

    facts: list[str] = []
    for measure, change_id, what in (
        ("M001", "K111", "referrals were received"),
        ("M031", "K112", "people entered treatment"),
        ("K006", "K113", "people moved off sick pay or benefits"),
    ):
        value = get(measure)
        if value is None:
            continue
        sentence = f"{fmt_count(value)} {what}"
        change = get(change_id)
        if _number(change) is not None:
            number = _number(change) or Decimal(0)
            direction = "up" if number > 0 else "down" if number < 0 else "unchanged"
            sentence += (
                f", {direction} {abs(number)}% on the previous quarter"
                if number
                else ", unchanged on the previous quarter"
            )
        facts.append(sentence + ".")
    completed = get("M076")
    if completed is not None:
        facts.append(f"{fmt_count(completed)} people completed treatment.")
    recovery = get("M192")
    if recovery is not None:
        facts.append(f"The recovery rate was {fmt_pct(recovery)} (target 50%).")
    access = get("K101")
    if access:
        facts.append(
            f"The access rate was {fmt_pct(access)} of the level of need (the estimated "
            "number of people with depression or anxiety) in the quarter."
        )
    response = get("K104")
    if response:
        facts.append(f"The response rate was {fmt_pct(response)} of Primary Care Trusts.")
    return facts


def funnel(
    index: PublishedIndex, providers: Sequence[ProviderRate], period: tuple[date, date], ptype: str
) -> tuple[list[Block], list[str]]:
    """Funnel plot of provider recovery rates and the providers outside the limits."""
    england = index.get("record_level", ptype, period[0], "M192")
    p = _number(england)
    if p is None:
        return [], []
    names = {r.code: r.name for r in providers}
    rates = {r.code: r.rate for r in providers}
    points = []
    for provider in providers:
        value = _number(provider.rate)
        n = provider.denominator
        if value is None or n is None:
            continue
        if n >= 5:
            points.append(charts.FunnelPoint(label=provider.code, denominator=n, rate=float(value)))
    if not points:
        return [], []
    label = period_label(*period)
    svg = charts.funnel_chart(points, float(p), f"Provider recovery rates, {label}", SOURCE_LINE)
    outside = {"above": [], "below": []}
    warn = {"above": [], "below": []}
    for point in points:
        low, high = charts.funnel_limits(float(p) / 100, point.denominator, charts.Z998)
        low95, high95 = charts.funnel_limits(float(p) / 100, point.denominator, charts.Z95)
        text = f"{names[point.label]} ({point.label}, {rates[point.label]}%)"
        rate = point.rate / 100
        if rate > high:
            outside["above"].append(text)
        elif rate < low:
            outside["below"].append(text)
        elif rate > high95:
            warn["above"].append(text)
        elif rate < low95:
            warn["below"].append(text)
    lines = []
    for side in ("above", "below"):
        lines.append(
            f"Providers {side} the 99.8% control limits: "
            + ("; ".join(outside[side]) or "none")
            + "."
        )
    for side in ("above", "below"):
        if warn[side]:
            lines.append(
                f"Providers {side} the 95% control limits (but within the 99.8% control "
                f"limits): " + "; ".join(warn[side]) + "."
            )
    caption = (
        f"Recovery rate of each provider in {label} against the England rate of "
        f"{england}%, with 95% and 99.8% control limits."
    )
    return [Chart("funnel", svg, caption)], lines


def coverage_for(info: ReleaseInfo, month: date) -> Coverage | None:
    return next((c for c in info.coverage if c.month == month), None)


def access_withheld_sentence(info: ReleaseInfo, month: date, label: str) -> str:
    """Empty when the access rate can be stated; otherwise why it is not. The level of
    need behind the England access rate covers all of England, so the rate means
    something only when every provider on the national list submitted."""
    cov = coverage_for(info, month)
    national = info.national_providers
    if cov is not None and national is not None and cov.submitting >= national:
        return ""
    submitted = f"{cov.submitting:,}" if cov is not None else "an unknown number"
    against = (
        f"the {national:,} providers on the national list"
        if national
        else ("a national list of providers (none in the warehouse)")
    )
    return (
        f"The access rate is not stated: {submitted} providers submitted record-level data "
        f"for {label} against {against}, while the level of need it divides by covers all "
        "of England, so the rate would understate access. It is published for analysts as "
        "K101 in the additional monthly file, with this caveat."
    )


def warm_up_months(months: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """Months starting within 18 weeks of the first month of record-level data: waits
    and outcomes there only count people referred since the data began (e.g. nobody
    can yet have waited more than a few weeks), so they are not comparable."""
    if not months:
        return []
    first = months[0][0]
    return [m for m in months if (m[0] - first).days < WARM_UP_DAYS]


def furniture(info: ReleaseInfo, as_at_label: str, version: int) -> list[Block]:
    blocks: list[Block] = []
    if info.is_synthetic is None:
        blocks.append(Banner(UNKNOWN_INPUT_BANNER))
    elif info.is_synthetic:
        blocks.append(Banner(SYNTHETIC_BANNER))
    status = (
        "Synthetic demonstration data — not official statistics"
        if info.is_synthetic is not False
        else info.statistics_status
    )
    blocks.append(
        Table(
            ("About this release", "Detail"),
            (
                ("Reporting month", as_at_label),
                ("Publication date", info.published.isoformat()),
                ("Version", str(version)),
                ("Statistics status", status),
                ("Contact", info.contact),
                (
                    "Source",
                    "NHS Talking Therapies (IAPT) record-level data set and, for "
                    "2011/12-2012/13, the quarterly KPI returns",
                ),
            ),
        )
    )
    return blocks


def coverage_blocks(info: ReleaseInfo) -> list[Block]:
    if not info.coverage:
        return []
    rows = tuple(
        (month_label(c.month), f"{c.submitting:,}", f"{c.expected:,}", f"{c.primary:,}",
         f"{c.refresh:,}")
        for c in info.coverage
    )  # fmt: skip
    national = (
        f" The national reference list has {info.national_providers:,} providers."
        if info.national_providers
        else ""
    )
    return [
        Heading("Coverage"),
        Paragraph(info.coverage_definition + national),
        Table(("Month", "Providers submitting", "Providers expected", "Primary", "Refresh"), rows),
    ]


def build_summary(
    con: duckdb.DuckDBPyConnection,
    as_at: str,
    version: int,
    reason: str | None,
    previous_version: int | None,
    revisions: tuple[int, Sequence[Revision]] | None,
    info: ReleaseInfo | None = None,
) -> Document:
    """`revisions`: (number of revisions, the first ones to list), None for v1."""
    info = info or ReleaseInfo(
        published=date.today(), contact="", statistics_status="", is_synthetic=None
    )
    year, month = (int(x) for x in as_at.split("-"))
    as_at_label = f"{MONTHS[month - 1]} {year}"
    blocks: list[Block] = []
    index = PublishedIndex.from_published(con)
    blocks += furniture(info, as_at_label, version)
    blocks.append(
        Paragraph(
            f"Figures as at the end of {as_at_label}. Counts below England "
            "level are rounded to the nearest 5 and small numbers are shown as *; see the "
            "release's metadata.json and the Notes sheet of the workbook."
        )
    )
    months = index.periods("record_level", "month")
    warm_up = warm_up_months(months)
    current = next(((s, e) for s, e in months if (s.year, s.month) == (year, month)), None)
    if current is not None:
        i = months.index(current)
        previous = months[i - 1] if i > 0 else None
        status = index.status("record_level", "month", current)
        label = period_label(*current)
        withheld = access_withheld_sentence(info, current[0], label)
        blocks.append(Heading(f"Key facts: {label} ({status})"))
        facts = key_facts(index, "record_level", "month", current, previous, withheld)
        if current in warm_up:
            facts.append(
                f"Caution: {label} is within 18 weeks of the first month of record-level data "
                f"({month_label(months[0][0])}); its waiting times and outcomes only count "
                "people referred since the data began and are not comparable with later months."
            )
        blocks.append(Bullets(tuple(facts)))
        quarters = index.periods("record_level", "quarter")
        quarter = next((q for q in quarters if q[1] == current[1]), None)
        if quarter is not None:
            j = quarters.index(quarter)
            prev_q = quarters[j - 1] if j > 0 else None
            blocks.append(Heading(f"Key facts: the quarter {period_label(*quarter)}"))
            # the reason is given once, in the month's facts
            short = "The access rate is not stated, for the reason given above." if withheld else ""
            blocks.append(
                Bullets(tuple(key_facts(index, "record_level", "quarter", quarter, prev_q, short)))
            )
        blocks += coverage_blocks(info)
        labels = [month_label(s) for s, _ in months]

        def series(measure: str, skip_warm_up: bool = False) -> list[float | None]:
            out: list[float | None] = []
            for period in months:
                n = _number(index.get("record_level", "month", period[0], measure))
                if skip_warm_up and period in warm_up:
                    n = None
                out.append(float(n) if n is not None else None)
            return out

        warm_note = ""
        if warm_up:
            warm_note = (
                f" Rates for the first {len(warm_up)} months of data ("
                f"{period_label(warm_up[0][0], warm_up[-1][1])}, within 18 weeks of the start "
                "of record-level data) are left out: they only count people referred since "
                "the data began."
            )
        blocks.append(Heading("Trends"))
        blocks.append(
            Chart(
                "trend",
                charts.trend_chart(
                    labels, series("M001"), series("M031"), series("M192", True), SOURCE_LINE
                ),
                "Referrals received, people entering treatment and the recovery rate in England, "
                "by month."
                + warm_note
                + (
                    " Their counts are shown; people entering treatment are fewer there "
                    "because only people referred since the data began can enter."
                    if warm_up
                    else ""
                ),
            )
        )
        blocks.append(
            Chart(
                "waiting",
                charts.waiting_chart(
                    labels, series("M053", True), series("M055", True), SOURCE_LINE
                ),
                "Percentage of finished courses of treatment that started within 6 weeks and "
                "18 weeks of referral, against the standards of 75% and 95%." + warm_note,
            )
        )
        providers = provider_rates(con, current, "month")
        funnel_blocks, funnel_text = funnel(index, providers, current, "month")
        if funnel_blocks:
            blocks.append(Heading(f"Provider recovery rates, {period_label(*current)}"))
            blocks.extend(funnel_blocks)
            blocks.append(Bullets(tuple(funnel_text)))
    kpi_quarters = index.periods("kpi_return", "quarter")
    if kpi_quarters:
        latest = kpi_quarters[-1]
        blocks.append(Heading(f"Quarterly KPI returns: {period_label(*latest)}"))
        blocks.append(
            Paragraph(
                "Before the record-level data set, Primary Care Trusts sent quarterly aggregate "
                "returns (kpi_returns.csv, at PCT, SHA and England level). Their England figures "
                "add up the PCTs that returned (see the response rate), whereas the record-level "
                "England figures above add up only the providers that submitted record-level "
                "data (see Coverage): the two England series cover different services, so they "
                "are not comparable and are never added or charted together."
            )
        )
        blocks.append(Bullets(tuple(kpi_facts(index, latest))))

        def kpi_series(measure: str) -> list[float | None]:
            out: list[float | None] = []
            for s, _ in kpi_quarters:
                n = _number(index.get("kpi_return", "quarter", s, measure))
                out.append(float(n) if n is not None else None)
            return out

        if len(kpi_quarters) > 1:
            blocks.append(
                Chart(
                    "kpi_trend",
                    charts.kpi_trend_chart(
                        [period_label(s, e) for s, e in kpi_quarters],
                        kpi_series("M001"),
                        kpi_series("M031"),
                        "Source: quarterly IAPT KPI returns of Primary Care Trusts, this release",
                    ),
                    "Referrals received and people entering treatment from the quarterly KPI "
                    "returns, England (PCTs that returned).",
                )
            )
    if previous_version is not None:
        blocks.append(Heading("Revisions"))
        total, listed = revisions or (0, [])
        blocks.append(
            Paragraph(
                f"This version replaces version {previous_version}. Reason: {reason}. "
                f"{total} published values changed (listed in revisions.csv)."
            )
        )
        if listed:
            blocks.append(
                Table(
                    ("Period", "Organisation", "Breakdown", "Measure", "Old", "New", "Difference"),
                    tuple(
                        (
                            f"{r.key['REPORTING_PERIOD_START']} to {r.key['REPORTING_PERIOD_END']}",
                            f"{r.key['GROUP_TYPE']} {r.key['ORG_CODE1']}/{r.key['ORG_CODE2']}",
                            f"{r.key['BREAKDOWN']}: {r.key['BREAKDOWN_VALUE']}",
                            f"{r.key['MEASURE_ID']} {r.measure_name}",
                            r.old_value,
                            r.new_value,
                            r.difference,
                        )
                        for r in listed[:MAX_REVISIONS_LISTED]
                    ),
                )
            )
    if info.files:
        blocks.append(Heading("Files in this release"))
        blocks.append(Links(info.files))
    return Document(f"NHS Talking Therapies (IAPT) statistics, {as_at_label}", blocks)
