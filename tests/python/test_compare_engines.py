"""scripts/compare_engines.py: a DuckDB warehouse against a (fake) Spark warehouse.

The Spark side is the DuckDB warehouse copied to parquet in Spark's layout, then
changed in one way per test; every real difference must give exit 1 and say where, and
what differs by design (load times, build ids, the last bits of a double) must not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from spark_warehouse_support import export_as_spark, write_spark_table

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import compare_engines


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    duck = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(duck)) as con:
        con.execute("create schema staging; create schema intermediate; create schema marts")
        con.execute(
            "create table marts.measures as select i as n, 'm' || (i % 3) as measure_id,"
            " i / 7 as rate, (i / 3)::decimal(18, 6) as share from range(50) t(i)"
        )
        con.execute("insert into marts.measures select * from marts.measures limit 2")  # dups
        con.execute(
            "create table staging.base_rows as select i as row_number,"
            " timestamp '2026-12-02 10:00:00' as loaded_at,"
            " 'P0' || (i % 2) as submission_folder from range(10) t(i)"
        )
        con.execute("create view staging.stg_rows as select * from staging.base_rows")
        con.execute(
            "create table marts.dim_build as select 'abc' as invocation_id, 'duckdb' as engine,"
            " 2 as raw_file_count"
        )
    spark = tmp_path / "spark"
    export_as_spark(duck, spark, {"staging.base_rows": "submission_folder"})
    return duck, spark


def _run(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = compare_engines.main(["--duckdb", str(pair[0]), "--spark", str(pair[1])])
    return code, capsys.readouterr().out


def _replace(pair: tuple[Path, Path], relation: str, sql: str) -> None:
    with duckdb.connect() as con:
        con.execute(f"attach '{pair[0]}' as duck (read_only)")
        write_spark_table(pair[1], relation, con, sql)


def test_copy_is_the_same_measures_first(pair, capsys) -> None:
    code, out = _run(pair, capsys)
    assert code == 0, out
    compared = [line.split()[1] for line in out.splitlines() if line.startswith("  same")]
    assert compared[0] == "marts.measures"
    assert set(compared) == {
        "marts.measures",
        "marts.dim_build",
        "staging.base_rows",
        "staging.stg_rows",
    }
    assert "the same: 4 relations compared, 0 differ, 0 missing" in out


def test_doubles_equal_to_nine_digits_and_excluded_columns_are_the_same(pair, capsys) -> None:
    # 1e-13 relative: what two engines' sums in another order give. 1 + 5.1e-9 is
    # 1.00000001 at 9 digits where 1 is 1.00000000: the second pass, at 8, agrees.
    _replace(
        pair,
        "marts.measures",
        "select n, measure_id, case when n = 7 then rate + 5.1e-9 when n = 14 then rate + 4.9e-9"
        " else rate * (1 + 1e-13) end as rate, share from duck.marts.measures",
    )
    _replace(
        pair,
        "marts.dim_build",
        "select 'xyz' as invocation_id, 'spark' as engine, 2 as raw_file_count",
    )
    code, out = _run(pair, capsys)
    assert code == 0, out
    assert "same at 8 significant digits" in out


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "select n, measure_id, case when n = 3 then rate * 1.000001 else rate end as rate,"
            " share from duck.marts.measures",
            "1 rows only in DuckDB, 1 only in Spark",
        ),
        (  # a duplicate row lost: except all, not except
            "select distinct * from duck.marts.measures",
            "2 rows only in DuckDB, 0 only in Spark",
        ),
        (
            "select n, measure_id, rate, share + 0.000001 as share from duck.marts.measures"
            " where n <> 0 union all select * from duck.marts.measures where n = 0",
            "50 rows only in DuckDB, 50 only in Spark",
        ),
        (
            "select n, measure_id, rate, share, 1 as extra from duck.marts.measures",
            "columns only in Spark: extra",
        ),
        (
            "select n::varchar as n, measure_id, rate, share from duck.marts.measures",
            "types differ: n (BIGINT vs VARCHAR)",
        ),
    ],
)
def test_a_difference_is_reported(pair, capsys, sql: str, expected: str) -> None:
    _replace(pair, "marts.measures", sql)
    code, out = _run(pair, capsys)
    assert code == 1
    assert "DIFFERENT  marts.measures" in out and expected in out, out


def test_a_missing_table_is_reported(pair, capsys) -> None:
    folder = pair[1] / "staging.db" / "base_rows"
    folder.rename(folder.with_name("base_rows_renamed"))
    code, out = _run(pair, capsys)
    assert code == 1
    assert "MISSING    staging.base_rows" in out and "in Spark" in out
    assert "MISSING    staging.base_rows_renamed" in out


def test_no_warehouse_is_exit_two(pair, capsys, tmp_path: Path) -> None:
    code = compare_engines.main(["--duckdb", str(pair[0]), "--spark", str(tmp_path / "none")])
    assert code == 2
    assert "no warehouse folder" in capsys.readouterr().err


def test_a_relation_only_duckdb_builds_is_not_looked_for_in_spark(pair, capsys) -> None:
    with duckdb.connect(str(pair[0])) as con:
        con.execute("create table staging.raw_file_inventory_scanned as select 1 as n")
        con.execute("create table staging.raw_other as select 1 as n")
    code, out = _run(pair, capsys)
    assert code == 1
    assert "MISSING    staging.raw_other" in out
    assert "MISSING    staging.raw_file_inventory_scanned" not in out
    assert "duckdb only: staging.raw_file_inventory_scanned" in out
