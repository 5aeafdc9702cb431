"""What the warehouse was built from (marts.dim_build): a release is only written for the
as-at month the warehouse was built for, and its manifest says which build that was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from iapt_tools.publication.versioning import PublicationError

COLUMNS = (
    "as_at_month",
    "is_as_at_month_requested",
    "raw_fingerprint",
    "raw_file_count",
    "is_synthetic",
    "synthetic_marker",
    "built_at",
    "invocation_id",
    "dbt_version",
    "project_version",
    "target_name",
    "engine",
)


def rebuild_hint(as_at: str) -> str:
    return f"make build DBT_ARGS=\"--vars '{{as_at_month: {as_at}}}'\""


@dataclass(frozen=True)
class Build:
    values: dict[str, Any]

    @property
    def as_at_month(self) -> str | None:
        return self.values["as_at_month"]

    @property
    def is_synthetic(self) -> bool:
        return bool(self.values["is_synthetic"])

    def as_manifest(self) -> dict[str, Any]:
        """JSON-ready; the marker is kept as the generator wrote it (a JSON string)."""
        return {
            k: v.isoformat() if isinstance(v, datetime | date) else v
            for k, v in self.values.items()
        }


def read_build(con: duckdb.DuckDBPyConnection) -> Build:
    """The one row of marts.dim_build; a warehouse without it predates the guard."""
    try:
        cursor = con.execute(f"select {', '.join(COLUMNS)} from marts.dim_build")
    except duckdb.CatalogException as error:
        raise PublicationError(
            "the warehouse has no marts.dim_build (built by an older version, or the build "
            "did not finish): rebuild it with `make build`"
        ) from error
    rows = cursor.fetchall()
    if len(rows) != 1:
        raise PublicationError(f"marts.dim_build must hold one row, not {len(rows)}: rebuild")
    return Build(dict(zip(COLUMNS, rows[0], strict=True)))


def check_as_at(build: Build, as_at: str) -> None:
    """Refuse a month other than the built one: the warehouse holds one as-at picture
    (selection, statuses, episode windows), so another month's release would mislabel it."""
    if build.as_at_month is None:
        raise PublicationError("the warehouse was built from no data: nothing to publish")
    if as_at != build.as_at_month:
        raise PublicationError(
            f"--as-at {as_at} differs from the month the warehouse was built for "
            f"({build.as_at_month}). Rebuild it for {as_at} first: {rebuild_hint(as_at)}, "
            f"then publish again (or publish {build.as_at_month} without --as-at)"
        )
