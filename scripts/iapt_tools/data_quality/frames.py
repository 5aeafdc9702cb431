"""Build each suite's frame with as few scans of the staging relations as possible.

A grouped check (``Check.pre``) reads its relation grouped by a few columns with a row
count ``n``. Instead of one ``group by`` per check (each expanding the staging view and
scanning its rows again), the relation is grouped once by every check's columns with
``group by grouping sets``; that small result is kept in a temporary table and each
check's ``frame_sql`` reads ``{pre}`` = its own grouping set of it (``GroupedScan``).
Key and link checks (``Check.counts``) are answered per (parent relation, key) by one
query (``KeyDomain``); checks with neither run their own ``sql``. The frames equal what
each check's ``sql`` gives alone (tests/python/test_data_quality_frames.py); GE still
sees only aggregated rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from iapt_tools.data_quality.checks import Check, pre_columns

GROUPED_TABLE = "dq_grouped_scan"


@dataclass(frozen=True)
class GroupedScan:
    """One relation grouped by the grouping set of each of its checks."""

    relation: str
    expressions: list[str]  # distinct pre expressions; column i is named dq_<i>
    sets: dict[str, tuple[int, ...]]  # check_id -> indexes of its expressions

    def sql(self) -> str:
        columns = [f"dq_{i}" for i in range(len(self.expressions))]
        inner = ", ".join(f"{e} as {c}" for e, c in zip(self.expressions, columns, strict=True))
        sets = dict.fromkeys(self.sets.values())
        grouping_sets = ", ".join(f"({', '.join(columns[i] for i in s)})" for s in sets)
        return (
            f"select grouping_id({', '.join(columns)}) as dq_set, {', '.join(columns)},"
            f" count(*) as n from (select {inner} from {self.relation})"
            f" group by grouping sets ({grouping_sets})"
        )

    def grouping_id(self, check_id: str) -> int:
        """grouping_id(dq_0, …, dq_k): bit k-i is set when dq_i is not in the set."""
        members = set(self.sets[check_id])
        width = len(self.expressions)
        return sum(1 << (width - 1 - i) for i in range(width) if i not in members)

    def pre(self, check: Check, table: str) -> str:
        """The check's {pre}: its grouping set of `table`, under the check's own names."""
        names = [name for _, name in pre_columns(check)]
        columns = ", ".join(
            f"dq_{i} as {name}" for i, name in zip(self.sets[check.check_id], names, strict=True)
        )
        return (
            f"(select {columns}, n from {table} where dq_set = {self.grouping_id(check.check_id)})"
        )


def grouped_scan(checks: list[Check]) -> GroupedScan | None:
    """The shared scan of the checks that share one (relation, None when there are none)."""
    shared = [c for c in checks if c.pre]
    if not shared:
        return None
    relations = {c.relation for c in shared}
    if len(relations) != 1:
        raise ValueError(f"one relation per grouped scan, not {sorted(relations)}")
    expressions: list[str] = []
    sets: dict[str, tuple[int, ...]] = {}
    for check in shared:
        indexes = []
        for expr, _ in pre_columns(check):
            if expr not in expressions:
                expressions.append(expr)
            indexes.append(expressions.index(expr))
        sets[check.check_id] = tuple(indexes)
    return GroupedScan(relations.pop(), expressions, sets)


@dataclass(frozen=True)
class KeyDomain:
    """Every key and link check on one (relation, key), answered by one query: the relation
    grouped by (submission, key) once gives its own unique-key checks and is the parent
    side of the links of its children (each child scanned once, all in one join)."""

    relation: str
    key: str
    checks: list[Check]  # unique-key checks on `relation` and links to it

    def sql(self) -> str:
        key = self.key
        parts = []
        children = []
        for i, check in enumerate(self.checks):
            if check.counts and check.counts.parent is None:
                parts.append(
                    f"select {i} as dq_check, cast(sum(n) as bigint) as a, count({key}) as b"
                    " from parent group by unique_submission_id"
                )
            else:
                children.append(
                    f"select {i} as dq_check, unique_submission_id, {key} from {check.relation}"
                )
        with_children = ""
        if children:
            with_children = f", children as ({' union all '.join(children)})"
            parts.append(
                f"select c.dq_check, count(*) as a, count(p.{key}) as b"
                " from children as c left join parent as p"
                f" on c.unique_submission_id = p.unique_submission_id and c.{key} = p.{key}"
                " group by c.dq_check, c.unique_submission_id"
            )
        # materialized: the parent's groups are both counted and joined to, from one scan
        materialized = "materialized " if children and len(parts) > 1 else ""
        return (
            f"with parent as {materialized}(select unique_submission_id,"
            f" {key}, count(*) as n from {self.relation} group by all){with_children} "
            + " union all ".join(parts)
        )


def key_domains(checks: list[Check]) -> list[KeyDomain]:
    """The key and link checks grouped by (parent or own relation, key), in check order."""
    domains: dict[tuple[str, str], list[Check]] = {}
    for check in checks:
        if check.counts:
            parent = check.counts.parent or check.relation
            domains.setdefault((parent, check.counts.key), []).append(check)
    return [KeyDomain(relation, key, cs) for (relation, key), cs in domains.items()]


class FrameBuilder:
    """Builds the suites' frames with as few scans of the staging relations as it can.

    `checks` are every check of the suites that will run: the key domains span suites
    (IDS101's pathways are IDS603's, IDS201's and IDS606's parents), so each domain's
    counts are computed when a suite first needs them and kept in a temporary table. When
    a shared query fails, the suite's checks run their own `sql` one by one instead, so a
    broken warehouse fails exactly as each check's query does.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, checks: list[Check]) -> None:
        self.con = con
        self.domains = {
            c.check_id: (n, d) for n, d in enumerate(key_domains(checks)) for c in d.checks
        }
        self._computed: set[int] = set()

    def suite_frame(self, checks: list[Check]) -> pd.DataFrame:
        try:
            frames = self._frames(checks)
        except duckdb.Error:
            frames = [self.con.execute(check.sql).df() for check in checks]
        return stack(frames)

    def _counts(self, check: Check) -> str:
        number, domain = self.domains[check.check_id]
        table = f"dq_key_counts_{number}"
        if number not in self._computed:
            self.con.execute(f"create or replace temporary table {table} as {domain.sql()}")
            self._computed.add(number)
        return f"(select a, b from {table} where dq_check = {domain.checks.index(check)})"

    def _frames(self, checks: list[Check]) -> list[pd.DataFrame]:
        scan = grouped_scan(checks)
        if scan is not None:
            self.con.execute(f"create or replace temporary table {GROUPED_TABLE} as {scan.sql()}")
        try:
            frames = []
            for check in checks:
                if scan is not None and check.check_id in scan.sets:
                    sql = check.frame_sql.replace("{pre}", scan.pre(check, GROUPED_TABLE))
                elif check.counts and check.check_id in self.domains:
                    sql = check.frame_sql.replace("{counts}", self._counts(check))
                else:
                    sql = check.sql
                frames.append(self.con.execute(sql).df())
            return frames
        finally:
            self.con.execute(f"drop table if exists {GROUPED_TABLE}")

    def close(self) -> None:
        for number in self._computed:
            self.con.execute(f"drop table if exists dq_key_counts_{number}")
        self._computed.clear()


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One suite's frame: the checks' frames stacked (their columns are disjoint)."""
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True, sort=False)
