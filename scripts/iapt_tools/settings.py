"""Locations shared by every entry point, read from the environment (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _project_path(env_name: str, default: str) -> Path:
    """An environment path; relative paths are relative to the project root."""
    path = Path(os.environ.get(env_name) or default)
    return path if path.is_absolute() else PROJECT_ROOT / path


ENGINES = ("duckdb", "spark")


def engine() -> str:
    """IAPT_ENGINE: duckdb (default) or spark (docs/spark.md)."""
    name = os.environ.get("IAPT_ENGINE") or "duckdb"
    if name not in ENGINES:
        raise ValueError(f"IAPT_ENGINE={name}: use one of {', '.join(ENGINES)}")
    return name


def spark_warehouse() -> Path:
    """Spark's spark.sql.warehouse.dir (profiles.yml): a folder of parquet tables."""
    return _project_path("IAPT_SPARK_WAREHOUSE", "target/spark/warehouse")


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    # DuckDB: the database file (IAPT_WAREHOUSE); Spark: the warehouse folder
    # (IAPT_SPARK_WAREHOUSE). iapt_tools.warehouse.connect reads either.
    warehouse: Path
    output_dir: Path
    engine: str = "duckdb"

    @classmethod
    def from_env(cls) -> Settings:
        name = engine()
        return cls(
            raw_dir=_project_path("IAPT_RAW_DIR", "data/raw"),
            warehouse=spark_warehouse()
            if name == "spark"
            else _project_path("IAPT_WAREHOUSE", "warehouse.duckdb"),
            output_dir=_project_path("IAPT_OUTPUT_DIR", "output"),
            engine=name,
        )


# Release furniture, from the environment so that a real publisher sets its own.
CONTACT_PLACEHOLDER = "Contact not configured: set IAPT_PUBLICATION_CONTACT (e.g. a team mailbox)"
DEFAULT_STATISTICS_STATUS = "Management information (not accredited official statistics)"


def publication_contact() -> str:
    return os.environ.get("IAPT_PUBLICATION_CONTACT") or CONTACT_PLACEHOLDER


def statistics_status() -> str:
    return os.environ.get("IAPT_STATISTICS_STATUS") or DEFAULT_STATISTICS_STATUS
