"""Read the built warehouse, whichever engine built it (docs/spark.md).

The data-quality run, the publication, where.py and compare_engines.py read through
`connect(path)`: a DuckDB connection on which `marts.measures` and every other
`<schema>.<table>` answer the same SQL, whatever built them.

- DuckDB builds one database file (IAPT_WAREHOUSE): opened read-only, as it always was.
- Spark builds a folder (spark.sql.warehouse.dir = IAPT_SPARK_WAREHOUSE) with one
  folder of parquet files per table, `<schema>.db/<table>/`; a partitioned table has
  `<column>=<value>/` folders below it. An in-memory DuckDB gets the schemas and one
  view per table over the table's parquet files. Spark's own rule for what is data
  holds: files and folders whose names start with `_` or `.` (`_SUCCESS`,
  `_temporary/`, `.crc` checksums) are not. Partition values are read as text (the
  project partitions only by `submission_folder`, a text column), after the file's
  columns, which is where Spark puts partition columns too.

So a path that is a folder is a Spark warehouse and a file is a DuckDB one: the caller
passes Settings.from_env().warehouse and never needs to know which engine built it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class ParquetTable:
    schema: str
    name: str
    files: tuple[Path, ...]  # empty: Spark wrote no data file (an empty partitioned table)

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


def is_parquet_warehouse(warehouse: Path) -> bool:
    """A Spark warehouse is a folder; a DuckDB warehouse is one file."""
    return warehouse.is_dir()


def _is_data(path: Path) -> bool:
    return not path.name.startswith(("_", "."))


def _data_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for child in sorted(folder.iterdir()):
        if not _is_data(child):
            continue
        if child.is_dir():
            files += _data_files(child)
        elif child.suffix == ".parquet":
            files.append(child)
    return files


def parquet_tables(warehouse: Path) -> list[ParquetTable]:
    """Every table folder of the Spark warehouse, `<schema>.db/<table>/`, in name order."""
    tables = []
    for schema_dir in sorted(warehouse.glob("*.db")):
        if not schema_dir.is_dir():
            continue
        for table_dir in sorted(schema_dir.iterdir()):
            if table_dir.is_dir() and _is_data(table_dir):
                tables.append(
                    ParquetTable(schema_dir.stem, table_dir.name, tuple(_data_files(table_dir)))
                )
    return tables


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect_parquet(
    warehouse: Path, config: Mapping[str, object] | None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config=dict(config or {}))
    for schema_dir in sorted(warehouse.glob("*.db")):
        con.execute(f"create schema if not exists {_quote(schema_dir.stem)}")
    for table in parquet_tables(warehouse):
        if not table.files:
            print(
                f"warehouse: {table.relation} has no parquet file in {warehouse}: not readable",
                file=sys.stderr,
            )
            continue
        files = ", ".join(_literal(str(f)) for f in table.files)
        con.execute(
            f"create view {_quote(table.schema)}.{_quote(table.name)} as select * from"
            f" read_parquet([{files}], hive_partitioning = true, hive_types_autocast = false)"
        )
    return con


def connect(
    warehouse: Path, config: Mapping[str, object] | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only view of the warehouse (DuckDB file or Spark folder); config is DuckDB's
    (threads, memory_limit, ...), for the file or for the in-memory connection."""
    if is_parquet_warehouse(warehouse):
        return _connect_parquet(warehouse, config)
    return duckdb.connect(str(warehouse), read_only=True, config=dict(config or {}))
