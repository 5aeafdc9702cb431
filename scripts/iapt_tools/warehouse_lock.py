"""Is the DuckDB warehouse free? A second process that opens it while another writes (or
a build while anyone has it open) gets DuckDB's lock error; `make build`, `make dq` and
`make publish` check first and say so in one line instead of dbt's or GX's tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

PID = re.compile(r"\(PID (\d+)\)")


def lock_message(warehouse: Path, read_only: bool) -> str | None:
    """None when the warehouse can be opened as asked (or does not exist yet), else one
    line naming the process that holds it."""
    if not warehouse.exists() or warehouse.is_dir():
        return None  # nothing built yet, or a Spark warehouse (no DuckDB lock)
    try:
        duckdb.connect(str(warehouse), read_only=read_only).close()
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise
        found = PID.search(text)
        holder = f"process {found.group(1)}" if found else "another process"
        return (
            f"the warehouse {warehouse} is in use by {holder}: wait for it to finish "
            "(or stop it), then run this again"
        )
    return None


def exit_if_in_use(read_only: bool = True) -> None:
    """For a script's entry point: one line and exit 1 when IAPT_WAREHOUSE is held by
    another process, so a direct call gets the same message as `make dq|publish`."""
    import sys

    from iapt_tools.settings import Settings

    message = lock_message(Settings.from_env().warehouse, read_only=read_only)
    if message is not None:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(1)
