"""The interpreter of the check table (check_table.py): each row becomes one `Check`.

A `Check` is what the suite builder and the runner need: its expectations (built from
the seeds) and the SQL of its *aggregated* frame (distinct values with row counts, or one
row per submission), so Great Expectations never sees patient-level rows. The kind of a
row decides both; the interpreter names the frame's columns and records them on the check:

- `value_columns`: what the expectation reads (one column, or the pair A and B),
- `flag_column`: the warehouse's own verdict (staging's validity column or flag),
- `rows_column`: the number of raw rows the frame row stands for.

GE's unexpected count must equal the number of frame rows whose flag is true: the
expectation (built from the seeds) and the warehouse (built by dbt) must agree.

Most kinds are *grouped*: the check reads a few columns of its relation (`pre`) and its
`frame_sql` computes the frame from `{pre}`, those columns grouped with their row count
`n`; the runner groups each relation once by every check's `pre` (frames.py). Key and link
checks read `{counts}` per submission (`KeyCounts`); `unique` and `is_true` read the
relation row by row (`sql`). `sql` is always the check's own, complete query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from iapt_tools.data_quality.check_table import CRITICAL, WARNING, CheckRow, check_table
from iapt_tools.data_quality.code_lists import CodeLists
from iapt_tools.raw_contract import load_contract

HEADERS = "staging.stg_iapt_v2__headers"
HEADER_COLUMNS = ("reporting_period_start", "reporting_period_end")
CHECK_TYPES = ("code_list", "range", "format", "date", "key", "link")

_CONTRACT = load_contract()


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

# code lists a row may name in `codes` besides the seeds' code_*.csv
ORGANISATION_CODES: dict[str, Callable[[CodeLists], list[str]]] = {
    "pct": lambda cl: cl.pct_codes,
    "providers": lambda cl: cl.provider_codes,
    "commissioners": lambda cl: sorted(
        {*cl.pct_codes, *cl.ccg_codes, *cl.later_commissioner_codes}
    ),
}

Expectations = tuple[tuple[str, dict[str, Any]], ...]


class CheckTableError(ValueError):
    """A row of the check table the interpreter cannot read."""


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
    check_type: str
    severity: str
    description: str
    kind: str
    expectations: Expectations
    value_columns: tuple[str, ...]  # the frame columns the expectations read
    flag_column: str  # true where the warehouse says the frame row is invalid
    rows_column: str  # the raw rows each frame row stands for
    sql: str  # the check's own query of its frame
    # (source_table, data_item) of fct_data_quality_vodim whose invalid_count must equal
    # the flagged rows of this check
    vodim_item: tuple[str, str] | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    # grouped checks: the relation's columns (or `expression as name`) that frame_sql reads
    # from {pre}, which has those columns and `n`, the number of rows with those values
    pre: tuple[str, ...] = ()
    # key and link checks: frame_sql reads {counts}, the rows `a` and the distinct or
    # linked keys `b` of each submission (see KeyCounts)
    counts: KeyCounts | None = None
    frame_sql: str = ""  # over {pre} or {counts}; empty when sql reads the relation

    @property
    def source_table(self) -> str:
        return SUITES[self.suite][0]

    @property
    def relation(self) -> str:
        return SUITES[self.suite][1]


@dataclass(frozen=True)
class _Names:
    """The frame columns of one check (`_names` is the only place they are named)."""

    value: str
    a: str
    b: str
    flag: str
    rows: str


def _names(check_id: str) -> _Names:
    return _Names(*(check_id + suffix for suffix in ("", "__a", "__b", "__flag", "__rows")))


@dataclass(frozen=True)
class _Frame:
    """What a kind compiles to: exactly one of pre (+frame_sql), counts (+frame_sql), sql."""

    expectations: Expectations
    pair: bool  # the expectations read columns A and B, not one value column
    frame_sql: str = ""
    pre: tuple[str, ...] = ()
    counts: KeyCounts | None = None
    sql: str = ""


_ALIAS = re.compile(r"^(?P<expr>.+?)\s+as\s+(?P<name>\w+)$", re.IGNORECASE | re.DOTALL)


def pre_columns(check: Check) -> list[tuple[str, str]]:
    """(expression, name) of each `pre` item: `end_code` or `x is not null as has_x`."""
    columns = []
    for item in check.pre:
        match = _ALIAS.match(item.strip())
        expr, name = (match["expr"], match["name"]) if match else (item.strip(), item.strip())
        columns.append((" ".join(expr.split()), name))
    return columns


def grouped_sql(check: Check) -> str:
    """The check's own {pre}: its relation grouped by its `pre` columns, with a row count."""
    return f"(select {', '.join(check.pre)}, count(*) as n from {check.relation} group by all)"


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


# ---- the kinds: each turns a row's parameters into its frame and expectations ----


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _where(where: str | None) -> str:
    return f"where {where}" if where else ""


def _one_value(expectation_type: str, c: _Names, **kwargs: Any) -> Expectations:
    return ((expectation_type, {"column": c.value, **kwargs}),)


def _code_values(p: Mapping[str, Any], cl: CodeLists) -> list[str]:
    name = p["codes"]
    if name in ORGANISATION_CODES:
        return ORGANISATION_CODES[name](cl)
    if name not in cl.codes:
        known = sorted([*cl.codes, *ORGANISATION_CODES])
        raise CheckTableError(f"codes {name!r} is not a code list; one of {known}")
    return cl.codes[name]


def _in_code_list(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`column` is in the code list `codes`. The verdict is staging's `validity` column
    (default `<column>_validity`) or, with `valid_in`, computed on each distinct value:
    missing when null (`missing: null`) or blank (`missing: blank`), valid when in one of
    `valid_in` (`schema.table.column` of a reference table, or `code_list`: the codes)."""
    column, values = p["column"], _code_values(p, cl)
    if "valid_in" in p:
        if "validity" in p or p.get("missing") not in ("null", "blank"):
            raise CheckTableError("valid_in needs missing (null or blank) and no validity")
        tests = []
        for source in p["valid_in"]:
            if source == "code_list":
                tests.append(f"{column} in ({', '.join(_sql_text(v) for v in values)})")
            else:
                schema, table, ref_column = source.split(".")
                tests.append(f"{column} in (select {ref_column} from {schema}.{table})")
        missing = f"nullif(trim({column}), '') is null"
        if p["missing"] == "null":
            missing = f"{column} is null"
        validity = (
            f"case when {missing} then 'missing' when {' or '.join(tests)} then 'valid'"
            " else 'invalid' end"
        )
        pre = (column,)
    elif "missing" in p:
        raise CheckTableError("missing needs valid_in")
    else:
        validity = p.get("validity", f"{column}_validity")
        pre = (column, validity)
    frame_sql = f"""
        with src as (
            select {column} as v, {validity} as validity, n
            from {{pre}} {_where(p.get("where"))}
        )
        select
            case when validity = 'missing' then null else v end as {c.value},
            validity = 'invalid' as {c.flag},
            cast(sum(n) as bigint) as {c.rows}
        from src group by all
    """
    return _Frame(
        _one_value("expect_column_values_to_be_in_set", c, value_set=values),
        pair=False,
        pre=(*pre, *p.get("also_reads", ())),
        frame_sql=frame_sql,
    )


def _matches_pattern(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`column` matches `pattern` (a regex of the raw contract) as a whole."""
    column, pattern = p["column"], p["pattern"]
    frame_sql = f"""
        select {column} as {c.value},
            not regexp_full_match(coalesce({column}, ''), {_sql_text(pattern)}) as {c.flag},
            cast(sum(n) as bigint) as {c.rows}
        from {{pre}} {_where(p.get("where"))} group by all
    """
    return _Frame(
        _one_value("expect_column_values_to_match_regex", c, regex=pattern),
        pair=False,
        pre=(column, *p.get("also_reads", ())),
        frame_sql=frame_sql,
    )


def _in_range(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`column` lies in [minimum, maximum] (either may be left out). The verdict is
    staging's `passed_column` (true when in range) or the bounds themselves."""
    column = p["column"]
    bounds = {k: p[k] for k in ("minimum", "maximum") if k in p}
    if not bounds:
        raise CheckTableError("in_range needs minimum or maximum")
    if "passed_column" in p:
        flag = f"not coalesce({p['passed_column']}, false)"
    else:
        outside = [f"{column} {'<' if k == 'minimum' else '>'} {v}" for k, v in bounds.items()]
        flag = f"coalesce({' or '.join(outside)}, false)"
    frame_sql = f"""
        select cast({column} as double) as {c.value},
            {flag} as {c.flag},
            cast(sum(n) as bigint) as {c.rows}
        from {{pre}} {_where(p.get("where"))} group by all
    """
    kwargs = {{"minimum": "min_value", "maximum": "max_value"}[k]: v for k, v in bounds.items()}
    passed = (p["passed_column"],) if "passed_column" in p else ()
    return _Frame(
        _one_value("expect_column_values_to_be_between", c, **kwargs),
        pair=False,
        pre=(column, *passed, *p.get("also_reads", ())),
        frame_sql=frame_sql,
    )


def _a_not_below_b(c: _Names) -> Expectations:
    kwargs = {"column_A": c.a, "column_B": c.b, "or_equal": True}
    kwargs["ignore_row_if"] = "either_value_is_missing"
    return (("expect_column_pair_values_a_to_be_greater_than_b", kwargs),)


def _in_period(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """The date `column` is not before (`bound: start`) or not after (`bound: end`) its
    submission's reporting period; the frame has one row per (date, period start, end)."""
    column, bound = p["column"], p["bound"]
    if bound not in ("start", "end"):
        raise CheckTableError(f"bound is start or end, not {bound!r}")
    base = f"""
        select
            e.{column} as d,
            h.reporting_period_start as period_start,
            h.reporting_period_end as period_end,
            cast(sum(e.n) as bigint) as n
        from {{pre}} as e
        inner join {HEADERS} as h
            on e.unique_submission_id = h.unique_submission_id
        group by all
    """
    later, earlier, flag = (
        ("d", "period_start", "d < period_start")
        if bound == "start"
        else ("period_end", "d", "d > period_end")
    )
    frame_sql = f"""
        select {later} as {c.a}, {earlier} as {c.b}, {flag} as {c.flag}, n as {c.rows}
        from ({base})
    """
    return _Frame(
        _a_not_below_b(c),
        pair=True,
        pre=("unique_submission_id", column),
        frame_sql=frame_sql,
    )


def _not_before(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`later` is on or after `earlier`: columns of the relation or the submission's
    reporting_period_start / reporting_period_end. The verdict is staging's
    `failed_column` (true when the order is broken) or `earlier > later`."""
    later, earlier = p["later"], p["earlier"]
    header = later in HEADER_COLUMNS or earlier in HEADER_COLUMNS

    def ref(name: str) -> str:
        if not header:
            return name
        return f"h.{name}" if name in HEADER_COLUMNS else f"r.{name}"

    own = tuple(n for n in (later, earlier) if n not in HEADER_COLUMNS)
    if "failed_column" in p:
        flag, own = f"coalesce({p['failed_column']}, false)", (*own, p["failed_column"])
    else:
        flag = f"{ref(earlier)} > {ref(later)}"
    source = "{pre}"
    if header:
        source = (
            f"{{pre}} as r inner join {HEADERS} as h"
            " on r.unique_submission_id = h.unique_submission_id"
        )
        own = ("unique_submission_id", *own)
    frame_sql = f"""
        select {ref(later)} as {c.a},
            {ref(earlier)} as {c.b},
            {flag} as {c.flag},
            cast(sum({"r.n" if header else "n"}) as bigint) as {c.rows}
        from {source} {_where(p.get("where"))}
        group by all
    """
    return _Frame(
        _a_not_below_b(c), pair=True, pre=(*own, *p.get("also_reads", ())), frame_sql=frame_sql
    )


def _pair_equal(c: _Names) -> Expectations:
    return (("expect_column_pair_values_to_be_equal", {"column_A": c.a, "column_B": c.b}),)


def _pair_frame(c: _Names) -> str:
    return f"""
        select
            a as {c.a},
            b as {c.b},
            a <> b as {c.flag},
            a - b as {c.rows}
        from {{counts}}
    """


def _unique_key(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`key` is unique within each submission of the relation."""
    return _Frame(_pair_equal(c), pair=True, counts=KeyCounts(p["key"]), frame_sql=_pair_frame(c))


def _links_to(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """Every row's `key` is in `parent` (a relation) within the same submission."""
    counts = KeyCounts(p["key"], p["parent"])
    return _Frame(_pair_equal(c), pair=True, counts=counts, frame_sql=_pair_frame(c))


def _unique(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`column` is unique across the whole relation (one frame row per relation row)."""
    column = p["column"]
    sql = f"""
        select {column} as {c.value},
            count(*) over (partition by {column}) > 1 as {c.flag},
            1 as {c.rows}
        from {relation}
    """
    return _Frame(_one_value("expect_column_values_to_be_unique", c), pair=False, sql=sql)


def _is_true(c: _Names, p: Mapping[str, Any], cl: CodeLists, relation: str) -> _Frame:
    """`condition` (SQL over one relation row) holds; null counts as false."""
    holds = f"coalesce({p['condition']}, false)"
    sql = f"""
        select {holds} as {c.value}, not {holds} as {c.flag}, 1 as {c.rows}
        from {relation}
    """
    return _Frame(
        _one_value("expect_column_values_to_be_in_set", c, value_set=[True]), pair=False, sql=sql
    )


@dataclass(frozen=True)
class Kind:
    """A kind of check: its required and optional parameters and its compiler."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    compile: Callable[[_Names, Mapping[str, Any], CodeLists, str], _Frame]


# `where` (optional): SQL over the scanned columns, which are the kind's columns plus
# `also_reads` (relation columns or `expression as name`) — it filters the frame's rows
KINDS: dict[str, Kind] = {
    "in_code_list": Kind(
        ("column", "codes"),
        ("validity", "valid_in", "missing", "where", "also_reads"),
        _in_code_list,
    ),
    "matches_pattern": Kind(("column", "pattern"), ("where", "also_reads"), _matches_pattern),
    "in_range": Kind(
        ("column",), ("minimum", "maximum", "passed_column", "where", "also_reads"), _in_range
    ),
    "in_period": Kind(("column", "bound"), (), _in_period),
    "not_before": Kind(("later", "earlier"), ("failed_column", "where", "also_reads"), _not_before),
    "unique_key": Kind(("key",), (), _unique_key),
    "links_to": Kind(("key", "parent"), (), _links_to),
    "unique": Kind(("column",), (), _unique),
    "is_true": Kind(("condition",), (), _is_true),
}

_DEFAULT_DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "in_code_list": lambda p: f"{p['column']} is in its code list",
    "unique_key": lambda p: f"{p['key']} is unique within each submission",
}


def _refuse(row: CheckRow, message: str) -> CheckTableError:
    return CheckTableError(f"check table row {row.check_id!r} ({row.kind}): {message}")


def _validate(row: CheckRow) -> Kind:
    if row.kind not in KINDS:
        raise _refuse(row, f"unknown kind {row.kind!r}; the kinds are {', '.join(KINDS)}")
    kind = KINDS[row.kind]
    missing = [name for name in kind.required if name not in row.params]
    if missing:
        raise _refuse(row, f"missing parameter(s) {', '.join(missing)}")
    unknown = sorted(set(row.params) - {*kind.required, *kind.optional})
    if unknown:
        allowed = ", ".join((*kind.required, *kind.optional))
        raise _refuse(row, f"unknown parameter(s) {', '.join(unknown)}; {row.kind} takes {allowed}")
    if row.suite not in SUITES:
        raise _refuse(row, f"unknown suite {row.suite!r}; one of {', '.join(SUITES)}")
    if row.severity not in (CRITICAL, WARNING):
        raise _refuse(row, f"severity is {CRITICAL} or {WARNING}, not {row.severity!r}")
    if row.check_type not in CHECK_TYPES:
        raise _refuse(row, f"check_type is one of {', '.join(CHECK_TYPES)}")
    return kind


def compile_row(row: CheckRow, cl: CodeLists) -> Check:
    """One row of the check table as a Check; a malformed row raises CheckTableError."""
    kind = _validate(row)
    names = _names(row.check_id)
    source_table, relation = SUITES[row.suite]
    try:
        frame = kind.compile(names, row.params, cl, relation)
    except CheckTableError as exc:
        raise _refuse(row, str(exc)) from None
    description = row.description
    if not description:
        if row.kind not in _DEFAULT_DESCRIPTIONS:
            raise _refuse(row, "a description is required")
        description = _DEFAULT_DESCRIPTIONS[row.kind](row.params)
    check = Check(
        check_id=row.check_id,
        suite=row.suite,
        data_item=row.data_item,
        check_type=row.check_type,
        severity=row.severity,
        description=description,
        kind=row.kind,
        expectations=frame.expectations,
        value_columns=(names.a, names.b) if frame.pair else (names.value,),
        flag_column=names.flag,
        rows_column=names.rows,
        sql=frame.sql,
        vodim_item=(source_table, row.data_item) if row.vodim else None,
        meta=dict(row.meta),
        pre=frame.pre,
        counts=frame.counts,
        frame_sql=frame.frame_sql,
    )
    if frame.pre:
        return replace(check, sql=frame.frame_sql.replace("{pre}", grouped_sql(check)))
    if frame.counts:
        return replace(check, sql=frame.frame_sql.replace("{counts}", counts_sql(check)))
    return check


def all_checks(cl: CodeLists) -> list[Check]:
    """Every check of the table, in suite order."""
    checks = [compile_row(row, cl) for row in check_table(cl)]
    ids = [c.check_id for c in checks]
    if len(ids) != len(set(ids)):
        raise CheckTableError("duplicate check ids")
    return checks
