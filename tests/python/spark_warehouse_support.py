"""A fake Spark warehouse: DuckDB writes parquet files in Spark's layout (docs/spark.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb

PART = "part-00000-5e0c1b9a-c000.snappy.parquet"


def _spark_files(folder: Path) -> None:
    """What Spark leaves beside the data: none of it may be read."""
    (folder / "_SUCCESS").write_text("")
    (folder / f".{PART}.crc").write_bytes(b"not parquet")
    (folder / "_temporary" / "0").mkdir(parents=True)
    (folder / "_temporary" / "0" / PART).write_bytes(b"an aborted task's half file")


def export_as_spark(
    source: Path, target: Path, partitioned: dict[str, str] | None = None
) -> list[str]:
    """Copy every table of a DuckDB warehouse to a parquet folder laid out as Spark does;
    partitioned maps `schema.table` to its partition column. Returns the relations."""
    partitioned = partitioned or {}
    con = duckdb.connect(str(source), read_only=True)
    relations = [
        r[0]
        for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema <> 'main' order by all"
        ).fetchall()
    ]
    for relation in relations:
        schema, table = relation.split(".")
        folder = target / f"{schema}.db" / table
        folder.parent.mkdir(parents=True, exist_ok=True)
        if relation in partitioned:
            con.execute(
                f"copy {relation} to '{folder}' (format parquet,"
                f" partition_by ({partitioned[relation]}))"
            )
        else:
            folder.mkdir()
            con.execute(f"copy {relation} to '{folder / PART}' (format parquet)")
        _spark_files(folder)
    con.close()
    return relations


def write_spark_table(root: Path, relation: str, con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Replace one table of a fake Spark warehouse with the rows of sql."""
    schema, table = relation.split(".")
    folder = root / f"{schema}.db" / table
    for old in folder.rglob("*.parquet"):
        old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({sql}) to '{folder / PART}' (format parquet)")
