"""iapt_tools.warehouse: one reader for the DuckDB file and for Spark's parquet folder.

The Spark warehouse here is faked: DuckDB writes the parquet files in Spark's layout
(`<schema>.db/<table>/part-*.parquet`, `<column>=<value>/` folders for a partitioned
table, `_SUCCESS`, `.crc` checksums, a `_temporary/` left by an aborted job). A
publication and a data-quality statement written from a DuckDB warehouse and from its
parquet copy must be the same files.
"""

from __future__ import annotations

import filecmp
import zipfile
from pathlib import Path

import duckdb
import pytest

from iapt_tools import warehouse_lock
from iapt_tools.data_quality.runner import _existing_relations
from iapt_tools.data_quality_statement import write_data_quality_statement
from iapt_tools.publication import release
from iapt_tools.settings import PROJECT_ROOT, Settings
from iapt_tools.warehouse import connect, parquet_tables
from spark_warehouse_support import export_as_spark
from test_publication_support import build_warehouse


@pytest.fixture
def fake_spark(tmp_path: Path) -> Path:
    """A small warehouse: an unpartitioned table, a partitioned one, an empty schema."""
    root = tmp_path / "spark-warehouse"
    source = tmp_path / "source.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("create schema marts; create schema staging")
        con.execute(
            "create table marts.measures as select i as n, i / 3 as share, 'g' || i as label"
            " from range(5) t(i)"
        )
        con.execute(
            "create table staging.base_referrals as select i as row_number,"
            " 'iapt_v2/2013-01/P0' || (i % 2) || '_Primary' as submission_folder"
            " from range(6) t(i)"
        )
        # A value that DuckDB would read as a date unless partition values stay text.
        con.execute(
            "create table staging.base_dated as select 1 as x, '2013-01-31' as submission_folder"
        )
    partitioned = {f"staging.{t}": "submission_folder" for t in ("base_referrals", "base_dated")}
    export_as_spark(source, root, partitioned)
    (root / "reference.db").mkdir()
    return root


def test_every_table_folder_is_a_view(fake_spark: Path) -> None:
    tables = {t.relation: t for t in parquet_tables(fake_spark)}
    assert sorted(tables) == ["marts.measures", "staging.base_dated", "staging.base_referrals"]
    assert all(f.name.endswith(".parquet") for t in tables.values() for f in t.files)
    assert len(tables["staging.base_referrals"].files) == 2  # one per partition folder
    with connect(fake_spark) as con:
        assert con.execute("select sum(n), count(*) from marts.measures").fetchone() == (10, 5)
        assert _existing_relations(con) >= {"marts.measures", "staging.base_referrals"}
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
        assert {"marts", "staging", "reference"} <= schemas


def test_partition_column_is_text_and_last(fake_spark: Path) -> None:
    with connect(fake_spark) as con:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'staging' and table_name = 'base_referrals'"
            " order by ordinal_position"
        ).fetchall()
        assert columns == [("row_number", "BIGINT"), ("submission_folder", "VARCHAR")]
        counts = con.execute(
            "select submission_folder, count(*) from staging.base_referrals group by all"
            " order by all"
        ).fetchall()
        dated = con.execute("select submission_folder from staging.base_dated").fetchall()
    # Spark writes the / of a partition value as %2F; it is read back as /.
    assert counts == [("iapt_v2/2013-01/P00_Primary", 3), ("iapt_v2/2013-01/P01_Primary", 3)]
    assert dated == [("2013-01-31",)]


def test_table_without_data_files_is_named_not_fatal(
    fake_spark: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (fake_spark / "marts.db" / "empty_partitioned" / "_temporary").mkdir(parents=True)
    with connect(fake_spark) as con:
        assert "marts.empty_partitioned" not in _existing_relations(con)
        assert con.execute("select count(*) from marts.measures").fetchone() == (5,)
    assert "marts.empty_partitioned has no parquet file" in capsys.readouterr().err


def test_duckdb_file_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as x")
    with connect(path) as con:
        assert con.execute("select x from t").fetchone() == (1,)
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("insert into t values (2)")


def test_engine_picks_the_warehouse_and_the_lock_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAPT_ENGINE", "spark")
    monkeypatch.setenv("IAPT_SPARK_WAREHOUSE", str(tmp_path / "wh"))
    monkeypatch.setenv("IAPT_WAREHOUSE", str(tmp_path / "ignored.duckdb"))
    settings = Settings.from_env()
    assert (settings.engine, settings.warehouse) == ("spark", tmp_path / "wh")
    monkeypatch.delenv("IAPT_SPARK_WAREHOUSE")
    assert Settings.from_env().warehouse == PROJECT_ROOT / "target" / "spark" / "warehouse"
    (tmp_path / "wh").mkdir()
    assert warehouse_lock.lock_message(tmp_path / "wh", read_only=False) is None
    monkeypatch.setenv("IAPT_ENGINE", "sparc")
    with pytest.raises(ValueError, match="IAPT_ENGINE=sparc"):
        Settings.from_env()
    monkeypatch.delenv("IAPT_ENGINE")
    assert Settings.from_env().engine == "duckdb"


def _xlsx_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts but its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def _same(left: Path, right: Path) -> bool:
    if not (left.is_file() and right.is_file()):
        return False
    if left.suffix == ".xlsx":
        return _xlsx_parts(left) == _xlsx_parts(right)
    return filecmp.cmp(left, right, shallow=False)


def _same_files(left: Path, right: Path, ignore: set[str]) -> list[str]:
    """Relative paths of files that differ or exist on one side only."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(
        str(name)
        for name in names
        if name.name not in ignore and not _same(left / name, right / name)
    )


def test_publication_from_parquet_equals_publication_from_duckdb(tmp_path: Path) -> None:
    source = build_warehouse(tmp_path / "w.duckdb")
    spark = tmp_path / "spark-warehouse"
    export_as_spark(source, spark, {"marts.dim_submissions": "submission_folder"})
    from_duckdb = release.publish(source, tmp_path / "out-duckdb", None, None, PROJECT_ROOT)
    from_spark = release.publish(spark, tmp_path / "out-spark", None, None, PROJECT_ROOT)
    assert from_duckdb is not None and from_spark is not None
    assert (from_spark.version, from_spark.rows) == (from_duckdb.version, from_duckdb.rows)
    # The manifest records when it was written and from which warehouse path; the
    # workbook's creation time is compared apart.
    assert _same_files(from_duckdb.folder, from_spark.folder, {"manifest.json"}) == []


def test_data_quality_statement_from_parquet_equals_duckdb(tmp_path: Path) -> None:
    source = build_warehouse(tmp_path / "w.duckdb")
    spark = tmp_path / "spark-warehouse"
    export_as_spark(source, spark)
    for warehouse, out in ((source, "dq-duckdb"), (spark, "dq-spark")):
        write_data_quality_statement(warehouse, tmp_path / out, results_dir=tmp_path / "none")
    assert _same_files(tmp_path / "dq-duckdb", tmp_path / "dq-spark", set()) == []
