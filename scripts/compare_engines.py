#!/usr/bin/env python3
"""Compare the DuckDB warehouse with the Spark warehouse, table by table (docs/spark.md).

    scripts/compare_engines.py [--duckdb FILE] [--spark DIR] [--digits 9]

Both are read through iapt_tools.warehouse (the Spark one as views over its parquet
files). Every table and view of the schemas staging, intermediate and marts must be in
both, with the same columns (same names; the same kind of type: text, integer or
decimal number, approximate number, date, timestamp, boolean), and the same rows:
`except all` both ways, so duplicates count. marts.measures is compared first.

Approximate numbers (a double or float on either side) are compared after rounding to
--digits significant digits (default 9); if a table differs, it is compared again at one
digit fewer, so two values a rounding boundary apart (1.23456785e0 and 1.23456784999e0)
do not count as a difference, while any real one still does. Integers of different
widths and decimals compare exactly.

Columns that differ by engine by design are never compared, and relations that only one
engine builds are not looked for on the other: NOT_COMPARED and ONE_ENGINE_ONLY below,
each with its reason. Exit 0 when everything is the same, 1 on any difference, 2 when a
warehouse cannot be read.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from iapt_tools.settings import PROJECT_ROOT, spark_warehouse
from iapt_tools.warehouse import connect

SCHEMAS = ("staging", "intermediate", "marts")
FIRST = "marts.measures"
SAMPLE_ROWS = 3

# (relation pattern, column, why it differs by engine): as few as possible.
NOT_COMPARED: list[tuple[str, str, str]] = [
    ("*", "loaded_at", "when the dbt run that read the raw row started"),
    (
        "staging.base_*",
        "load_signature",
        "digest of the folder and of the code that read it, which is the engine's own"
        " (dispatched macros; docs/incremental.md)",
    ),
    ("marts.dim_build", "built_at", "when the dbt invocation started"),
    ("marts.dim_build", "invocation_id", "the dbt invocation's id"),
    ("marts.dim_build", "target_name", "the dbt target: duckdb or spark"),
    ("marts.dim_build", "engine", "the dbt adapter: duckdb or spark"),
]

# Relations only one engine builds, by design: relation -> (engine, why).
ONE_ENGINE_ONLY: dict[str, tuple[str, str]] = {
    f"staging.{name}_scanned": (
        "duckdb",
        "the file-system scan as a dbt Python model; on Spark scripts/scan_raw.py runs the"
        f" same code before the build, and staging.{name} (compared) selects its rows",
    )
    for name in ("raw_file_inventory", "raw_build_context")
}

FAMILIES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "DOUBLE": "approximate",
    "FLOAT": "approximate",
    "REAL": "approximate",
}
INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
INTEGERS += ("UINTEGER", "UBIGINT", "UHUGEINT")


def family(data_type: str) -> str:
    """The kind of a DuckDB type, so that widths and precisions do not count."""
    if data_type in INTEGERS or data_type.startswith("DECIMAL"):
        return "exact number"
    if data_type.startswith("TIMESTAMP"):
        return "timestamp"
    return FAMILIES.get(data_type, data_type)


def is_compared(relation: str, column: str) -> bool:
    return not any(
        fnmatch.fnmatch(relation, pattern) and column == name for pattern, name, _ in NOT_COMPARED
    )


@dataclass
class Result:
    relation: str
    rows: tuple[int, int] = (0, 0)  # duckdb, spark
    only_duckdb_columns: list[str] = field(default_factory=list)
    only_spark_columns: list[str] = field(default_factory=list)
    type_differences: list[str] = field(default_factory=list)
    only_duckdb: int = 0
    only_spark: int = 0
    samples: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def same(self) -> bool:
        return not (
            self.only_duckdb_columns
            or self.only_spark_columns
            or self.type_differences
            or self.only_duckdb
            or self.only_spark
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def relations(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_catalog = ? and list_contains(?, table_schema)",
        [catalog, list(SCHEMAS)],
    ).fetchall()
    return {r[0] for r in rows}


def columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ?"
        " and table_schema || '.' || table_name = ? order by ordinal_position",
        [catalog, relation],
    ).fetchall()
    return dict(rows)


def _expression(column: str, approximate: bool, digits: int) -> str:
    if approximate:
        return f"printf('%.{digits - 1}e', {_quote(column)}::double) as {_quote(column)}"
    return _quote(column)


def _short(row: tuple, width: int = 400) -> str:
    text = str(row)
    return text if len(text) <= width else text[: width - 3] + "..."


def _except(
    con: duckdb.DuckDBPyConnection, left: str, right: str, select: str
) -> tuple[int, list[tuple]]:
    sql = f"select {select} from {left} except all select {select} from {right}"
    count = con.execute(f"select count(*) from ({sql})").fetchone()[0]
    sample = con.execute(f"{sql} limit {SAMPLE_ROWS}").fetchall() if count else []
    return count, sample


def compare(con: duckdb.DuckDBPyConnection, relation: str, digits: int) -> Result:
    """One relation, `duck.<relation>` against the Spark view `memory.<relation>`."""
    result = Result(relation)
    schema, name = relation.split(".", 1)
    duck = f"duck.{_quote(schema)}.{_quote(name)}"
    spark = f"memory.{_quote(schema)}.{_quote(name)}"
    left, right = columns(con, "duck", relation), columns(con, "memory", relation)
    result.only_duckdb_columns = [c for c in left if c not in right]
    result.only_spark_columns = [c for c in right if c not in left]
    shared = [c for c in left if c in right and is_compared(relation, c)]
    for c in shared:
        if family(left[c]) != family(right[c]) and "approximate" not in (
            family(left[c]),
            family(right[c]),
        ):
            result.type_differences.append(f"{c} ({left[c]} vs {right[c]})")
    result.rows = (
        con.execute(f"select count(*) from {duck}").fetchone()[0],
        con.execute(f"select count(*) from {spark}").fetchone()[0],
    )
    if result.type_differences or not shared:
        return result
    approximate = {c for c in shared if "approximate" in (family(left[c]), family(right[c]))}
    header = ", ".join(shared)

    def differences(at: int) -> tuple[int, list[tuple], int, list[tuple]]:
        select = ", ".join(_expression(c, c in approximate, at) for c in shared)
        return (*_except(con, duck, spark, select), *_except(con, spark, duck, select))

    result.only_duckdb, duck_rows, result.only_spark, spark_rows = differences(digits)
    differ = result.only_duckdb or result.only_spark
    if approximate and differ and differences(digits - 1)[::2] == (0, 0):
        result.note = f"same at {digits - 1} significant digits (a rounding boundary)"
        result.only_duckdb = result.only_spark = 0
    result.samples = (
        [f"({header})"]
        + [f"only in DuckDB: {_short(row)}" for row in duck_rows]
        + [f"only in Spark:  {_short(row)}" for row in spark_rows]
        if result.only_duckdb or result.only_spark
        else []
    )
    return result


def _line(result: Result) -> str:
    rows = f"{result.rows[0]:>10,} | {result.rows[1]:>10,} rows"
    if result.same:
        return f"  same       {result.relation:<52} {rows}" + (
            f"  ({result.note})" if result.note else ""
        )
    problems = []
    if result.only_duckdb_columns:
        problems.append(f"columns only in DuckDB: {', '.join(result.only_duckdb_columns)}")
    if result.only_spark_columns:
        problems.append(f"columns only in Spark: {', '.join(result.only_spark_columns)}")
    if result.type_differences:
        problems.append(f"types differ: {', '.join(result.type_differences)}")
    if result.only_duckdb or result.only_spark:
        problems.append(
            f"{result.only_duckdb:,} rows only in DuckDB, {result.only_spark:,} only in Spark"
        )
    lines = [f"  DIFFERENT  {result.relation:<52} {rows}", *(f"      {p}" for p in problems)]
    return "\n".join([*lines, *(f"      {s}" for s in result.samples)])


def _only_on(engine: str) -> set[str]:
    return {r for r, (only, _) in ONE_ENGINE_ONLY.items() if only == engine}


def _project_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duckdb",
        type=_project_path,
        default=_project_path(os.environ.get("IAPT_WAREHOUSE") or "warehouse.duckdb"),
        help="the DuckDB warehouse file (default: IAPT_WAREHOUSE)",
    )
    parser.add_argument(
        "--spark",
        type=_project_path,
        default=spark_warehouse(),
        help="the Spark warehouse folder (default: IAPT_SPARK_WAREHOUSE)",
    )
    parser.add_argument("--digits", type=int, default=9, help="significant digits of doubles")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for path, kind in ((args.duckdb, "file"), (args.spark, "folder")):
        if not (path.is_file() if kind == "file" else path.is_dir()):
            print(f"compare engines: error: no warehouse {kind} {path}", file=sys.stderr)
            return 2
    print(
        f"compare engines: DuckDB {args.duckdb} | Spark {args.spark}"
        f" (doubles to {args.digits} significant digits)"
    )
    for pattern, column, why in NOT_COMPARED:
        print(f"  not compared: {pattern}.{column} ({why})")
    for relation, (engine, why) in ONE_ENGINE_ONLY.items():
        print(f"  {engine} only: {relation} ({why})")
    con = connect(args.spark)
    con.execute(f"attach '{args.duckdb}' as duck (read_only)")
    in_duckdb = relations(con, "duck") - _only_on("duckdb")
    in_spark = relations(con, "memory") - _only_on("spark")
    both = sorted(in_duckdb & in_spark, key=lambda r: (r != FIRST, r))
    results = [compare(con, relation, args.digits) for relation in both]
    con.close()
    for result in results:
        print(_line(result))
    for relation in sorted(in_duckdb - in_spark):
        print(f"  MISSING    {relation:<52} in Spark")
    for relation in sorted(in_spark - in_duckdb):
        print(f"  MISSING    {relation:<52} in DuckDB")
    different = [r.relation for r in results if not r.same]
    missing = len(in_duckdb ^ in_spark)
    verdict = "the same" if not (different or missing) else "DIFFERENT"
    print(
        f"compare engines: {verdict}: {len(results)} relations compared, {len(different)}"
        f" differ, {missing} missing on one side ({time.perf_counter() - started:.1f} s)"
    )
    return 0 if verdict == "the same" else 1


if __name__ == "__main__":
    sys.exit(main())
