"""Disclosure control for published files (outputs.md section 4). The only place the
rules live, written once as SQL: DuckDB applies `published_value_sql` to every
published row, and `round_to_base_sql` to the funnel plot's denominators.

- Counts below England level: 1-4 -> `*`; otherwise rounded to the nearest 5 (halves
  up). Zero stays 0. England counts are published unrounded. A negative count (only an
  invalid KPI-return figure can be one) is `*` below England too.
- Percentages are computed from the unrounded numerator and denominator; `*` when
  either is below 5 (England included); a whole number below England, 1 dp at England.
- Means and medians: `*` when the count behind them (the denominator) is below 5;
  means to 1 dp, medians to whole days (half up), as NHS England publishes them.
- Change-on-previous-period percentages (numerator = current - previous, denominator =
  previous): `*` when the previous or the current count is below 5.
A value that is unknown (null) and not suppressed is published empty (SQL null).

Arithmetic is exact decimal, as if done by hand: a stored double is read as its
shortest decimal text (DuckDB prints doubles like Python's repr, so 7.05 is 7.05, not
7.0499999…), scaled to an integer of 10^-10 units, and every division rounds half up
(away from zero for negatives) in integer arithmetic. Nothing passes through a double
after reading, so 12.5 rounds to 13 and 14.5 to 15.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import duckdb

SUPPRESSED = "*"
MIN_COUNT = 5
ROUNDING_BASE = 5
ENGLAND = "England"
SCALE = 10  # decimal places kept from a stored double (values below 1e18)
_UNIT = 10**SCALE


class MeasureType(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True)
class MeasureValue:
    """One unrounded, unsuppressed value from marts.measures (for `disclose`)."""

    measure_type: MeasureType
    group_type: str
    measure_value: float | None
    numerator: float | None = None
    denominator: float | None = None
    is_change_on_previous: bool = False


def _exact(column: str) -> str:
    """The stored double as an exact decimal of its shortest text."""
    return f"(({column})::varchar::decimal(38, {SCALE}))"


def _units(column: str) -> str:
    """The stored double as an integer number of 10^-SCALE units (exact)."""
    return f"(({_exact(column)} * {_UNIT}::decimal(38, 0))::hugeint)"


def _half_up_div(numerator: str, denominator: str) -> str:
    """numerator / denominator (hugeints, denominator > 0) rounded half away from zero."""
    return (
        f"((case when ({numerator}) < 0 then -1 else 1 end)"
        f" * ((2 * abs({numerator}) + ({denominator})) // (2 * ({denominator}))))"
    )


def _tenths_text(tenths: str) -> str:
    """An integer number of tenths as text with one decimal place ('125' -> '12.5')."""
    return f"(({tenths})::decimal(38, 0) * 0.1::decimal(2, 1))::varchar"


def round_to_base_sql(count: str, base: int = ROUNDING_BASE) -> str:
    """Nearest multiple of `base`, halves up (7 -> 5, 8 -> 10, 12.5 -> 15), as SQL."""
    return f"({_half_up_div(_units(count), f'{base * _UNIT}::hugeint')} * {base})"


def _rate_sql(numerator: str, denominator: str, group_type: str) -> str:
    """100 x numerator / denominator, 1 dp at England, whole below."""
    num, den = _units(numerator), _units(denominator)
    return (
        f"case when {group_type} = '{ENGLAND}'"
        f" then {_tenths_text(_half_up_div(f'1000 * {num}', den))}"
        f" else ({_half_up_div(f'100 * {num}', den)})::varchar end"
    )


def published_value_sql(
    *,
    measure_type: str = "measure_type",
    group_type: str = "group_type",
    measure_value: str = "measure_value",
    numerator: str = "numerator",
    denominator: str = "denominator",
    is_change_on_previous: str = "is_change_on_previous",
) -> str:
    """A SQL expression: the published text of a row (null = published empty).

    The arguments name the row's columns: measure_type (lower case, a MeasureType),
    group_type, measure_value, numerator, denominator (doubles) and
    is_change_on_previous (boolean)."""
    mtype, group, value = measure_type, group_type, measure_value
    num, den = numerator, denominator
    count = f"coalesce({value}, {num})"
    no_counts = f"case when {value} is null then null else '{SUPPRESSED}' end"
    england_count = _half_up_div(_units(count), f"{_UNIT}::hugeint")
    return f"""(case
    when {mtype} = '{MeasureType.COUNT}' then case
        when {count} is null then null
        when {group} = '{ENGLAND}' then ({england_count})::varchar
        when {count} = 0 then '0'
        when {count} < {MIN_COUNT} then '{SUPPRESSED}'
        else ({round_to_base_sql(count)})::varchar end
    when {mtype} = '{MeasureType.PERCENTAGE}' and {is_change_on_previous} then case
        when {num} is null or {den} is null then {no_counts}
        when {_exact(den)} < {MIN_COUNT} or {_exact(den)} + {_exact(num)} < {MIN_COUNT}
            then '{SUPPRESSED}'
        else {_rate_sql(num, den, group)} end
    when {mtype} = '{MeasureType.PERCENTAGE}' then case
        when {num} is null or {den} is null then {no_counts}
        when {num} < {MIN_COUNT} or {den} < {MIN_COUNT} then '{SUPPRESSED}'
        else {_rate_sql(num, den, group)} end
    when {mtype} in ('{MeasureType.MEAN}', '{MeasureType.MEDIAN}') then case
        when {den} is null or {den} < {MIN_COUNT} then
            case when {value} is null and {den} is null then null else '{SUPPRESSED}' end
        when {value} is null then null
        -- medians in whole days, as NHS England publishes them; means to 1 dp
        when {mtype} = '{MeasureType.MEDIAN}' then
            ({_half_up_div(_units(value), f"{_UNIT}::hugeint")})::varchar
        else {_tenths_text(_half_up_div(f"10 * {_units(value)}", f"{_UNIT}::hugeint"))} end
    else error('unknown measure type ' || coalesce({mtype}, 'null'))
end)"""


@functools.cache
def _scratch() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for evaluating the rules on a few values."""
    return duckdb.connect()


def disclose(values: Sequence[MeasureValue]) -> list[str]:
    """The published text of a few values ('' for empty), by the same SQL as the
    release. For hand-worked checks, not for whole tables."""
    con = _scratch().cursor()
    con.execute(
        "create or replace temp table disclose_input (i integer, measure_type varchar,"
        " group_type varchar, measure_value double, numerator double, denominator double,"
        " is_change_on_previous boolean)"
    )
    for i, v in enumerate(values):
        con.execute(
            "insert into disclose_input values (?, ?, ?, ?, ?, ?, ?)",
            [i, str(v.measure_type), v.group_type, v.measure_value, v.numerator,
             v.denominator, v.is_change_on_previous],
        )  # fmt: skip
    sql = f"select {published_value_sql()} from disclose_input order by i"
    return ["" if text is None else text for (text,) in con.execute(sql).fetchall()]


def round_to_base(count: float) -> int:
    """`round_to_base_sql` on one value (for hand-worked checks)."""
    sql = f"select {round_to_base_sql('c')} from (select ?::double as c)"
    row = _scratch().cursor().execute(sql, [count]).fetchone()
    assert row is not None
    return int(row[0])


# ---- protection against differencing ------------------------------------------------------
# England counts are exact and every level below England partitions England, so one
# suppressed cell among published zeros is "England minus the rest". Every additive
# group of counts below England - a level (all providers, all commissioners, ... of one
# period, measure and breakdown value) or one organisation's breakdown values together
# with its Total - that holds a `*`:
#   1. has its zeros published `*` too (a published 0 is an exact value; but not a 0
#      under an England 0, which England itself publishes);
#   2. while it holds fewer than two `*`, has its smallest other count published `*`
#      too (ties: the first in publication order).
# Repeated until nothing changes, since a new `*` can open another group. A `*` then
# stands for any value from 0 up, and each group's `*` cells share one difference: no
# single one of them is pinned (docs/publication.md, "Differencing").
LEVEL_GROUP = ("source", "REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "MEASURE_ID",
               "BREAKDOWN", "BREAKDOWN_VALUE", "GROUP_TYPE")  # fmt: skip
# an organisation's values of one breakdown, with its Total row
ORG_GROUP = ("source", "REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "MEASURE_ID",
             "GROUP_TYPE", "ORG_CODE1", "ORG_CODE2")  # fmt: skip
ENGLAND_KEY = ("source", "REPORTING_PERIOD_START", "REPORTING_PERIOD_END", "MEASURE_ID",
               "BREAKDOWN", "BREAKDOWN_VALUE")  # fmt: skip
MAX_ROUNDS = 50


def _key(alias: str, columns: Sequence[str], tag: str) -> str:
    parts = ", ".join(f"coalesce(cast({alias}.{c} as varchar), '')" for c in columns)
    return f"concat_ws('|', '{tag}', {parts})"


def protect_against_differencing(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    value_column: str = "MEASURE_VALUE",
    raw_column: str = "raw_value",
    catalogue: str = "reference.measure_catalogue",
) -> int:
    """Secondary suppression, in place, on a table of disclosed cells (the layout's
    columns: source, period dates, GROUP_TYPE, org codes, BREAKDOWN, BREAKDOWN_VALUE,
    MEASURE_ID, the published text `value_column` and the unrounded `raw_column`).
    Only counts (the catalogue's measure_type) below England are touched. Returns the
    number of cells newly suppressed."""
    con.execute(
        f"""
        create or replace temp table differencing_cells as
        select t.rowid as cell_id, t.source, t.REPORTING_PERIOD_START, t.REPORTING_PERIOD_END,
               t.GROUP_TYPE, t.ORG_CODE1, t.ORG_CODE2, t.BREAKDOWN, t.BREAKDOWN_VALUE,
               t.MEASURE_ID, t.{raw_column} as raw_value, t.{value_column} as value_text
        from {table} t
        join {catalogue} c on c.measure_id = t.MEASURE_ID
        where lower(c.measure_type) = '{MeasureType.COUNT}' and t.GROUP_TYPE <> '{ENGLAND}'
          and t.{value_column} is not null and t.{raw_column} is not null
          -- under an England 0 every cell is a known 0: suppressing it would protect nothing
          and not exists (
              select 1 from {table} e
              where e.GROUP_TYPE = '{ENGLAND}' and e.{raw_column} = 0
                and {" and ".join(f"e.{k} is not distinct from t.{k}" for k in ENGLAND_KEY)}
          )
        """
    )
    org = " and ".join(f"t.{c} is not distinct from b.{c}" for c in ORG_GROUP)
    con.execute(
        f"""
        create or replace temp table differencing_groups as
        select {_key("c", LEVEL_GROUP, "level")} as group_id, c.cell_id
        from differencing_cells c
        union all
        select {_key("c", (*ORG_GROUP, "BREAKDOWN"), "org")}, c.cell_id
        from differencing_cells c where c.BREAKDOWN <> 'Total'
        union all
        select {_key("b", (*ORG_GROUP, "BREAKDOWN"), "org")}, t.cell_id
        from differencing_cells t
        join (select distinct {", ".join(ORG_GROUP)}, BREAKDOWN from differencing_cells
              where BREAKDOWN <> 'Total') b on {org}
        where t.BREAKDOWN = 'Total'
        """
    )
    picked = f"""
        with members as (
            select g.group_id, c.cell_id, c.raw_value, c.value_text
            from differencing_groups g join differencing_cells c on c.cell_id = g.cell_id
        ),
        counted as (
            select members.*,
                   count(*) filter (where value_text = '{SUPPRESSED}')
                       over (partition by group_id) as suppressed_in_group,
                   row_number() over (
                       partition by group_id
                       order by case when value_text = '{SUPPRESSED}' then 1 else 0 end,
                                raw_value, cell_id
                   ) as rank_published
            from members
        )
        select distinct cell_id from counted
        where suppressed_in_group > 0 and value_text <> '{SUPPRESSED}'
          and (raw_value = 0 or (suppressed_in_group = 1 and rank_published = 1))"""
    total = 0
    for _round in range(MAX_ROUNDS):
        con.execute(f"create or replace temp table differencing_picked as {picked}")
        row = con.execute("select count(*) from differencing_picked").fetchone()
        changed = int(row[0]) if row else 0
        if not changed:
            break
        con.execute(
            f"update differencing_cells set value_text = '{SUPPRESSED}'"
            " where cell_id in (select cell_id from differencing_picked)"
        )
        total += changed
    else:
        raise RuntimeError("secondary suppression did not settle")
    con.execute(
        f"update {table} set {value_column} = '{SUPPRESSED}' where rowid in"
        f" (select cell_id from differencing_cells where value_text = '{SUPPRESSED}')"
        f" and {value_column} <> '{SUPPRESSED}'"
    )
    for scratch in ("differencing_cells", "differencing_groups", "differencing_picked"):
        con.execute(f"drop table if exists {scratch}")
    return total
