"""One row about the build's inputs that only a file read can tell: whether the raw root
is synthetic (the generator writes <raw>/SYNTHETIC_DATA.json; real extracts never carry
it) and the project version (dbt_project.yml, the one place it is written).

Read on every build (two small files), so marts.dim_build always describes this build.
"""

import json
import os
from typing import Any

SYNTHETIC_MARKER = "SYNTHETIC_DATA.json"  # scripts/iapt_tools/generator: SYNTHETIC_MARKER


def synthetic_marker(raw_dir: str) -> str | None:
    """The marker's JSON text (normalised), or None when the raw root has no marker."""
    path = os.path.join(raw_dir, SYNTHETIC_MARKER)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except ValueError:
        # a marker that does not parse still marks the data as synthetic
        return json.dumps({"unparsed_marker": text[:1000]})


def project_version(project_dir: str) -> str | None:
    path = os.path.join(project_dir, "dbt_project.yml")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("version:"):
                return line.split(":", 1)[1].strip().strip("\"'")
    return None


def build_context_query(raw_dir: str, project_dir: str) -> tuple[str, list[Any]]:
    """A DuckDB select of the one row with its parameters: the model's row here, and
    scripts/scan_raw.py's parquet file for Spark."""
    marker = synthetic_marker(raw_dir)
    return (
        "select cast($1 as boolean) as is_synthetic,"
        " cast($2 as varchar) as synthetic_marker,"
        " cast($3 as varchar) as project_version",
        [marker is not None, marker, project_version(project_dir)],
    )


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    query, parameters = build_context_query(
        dbt.config.get("raw_dir"), dbt.config.get("project_dir")
    )
    session.execute(
        f"create or replace temp table raw_build_context_scanned__row as {query}", parameters
    )
    return session.table("raw_build_context_scanned__row")
