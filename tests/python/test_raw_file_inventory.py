"""The raw-file inventory on its own (no dbt): which files it lists and what it counts."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from test_ingest_support import PROJECT_ROOT

KPI_HEADER = b"Quarter,OrgCode,ReturnType,SubmittedAt,NilReturn\n"


def _inventory_module() -> ModuleType:
    path = PROJECT_ROOT / "models" / "staging" / "raw" / "raw_file_inventory.py"
    spec = importlib.util.spec_from_file_location("raw_file_inventory", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_kpi_return_with_an_upper_case_extension_is_read(tmp_path: Path) -> None:
    """KPI files have no contract name: `.CSV` is a CSV file like `.csv`, so its rows are
    read and reconciled, never lost; a file that is not CSV is not a return."""
    kpi = tmp_path / "kpi_returns"
    kpi.mkdir()
    rows = b"2011-12 Q1,5A3,Original,2011-07-20 10:00:00,N\n" * 2
    (kpi / "returns_2011.CSV").write_bytes(KPI_HEADER + rows)
    (kpi / "returns_2012.csv").write_bytes(KPI_HEADER + rows + rows)
    (kpi / "notes.txt").write_bytes(b"not a return\n")
    listed = {row["source_file"]: row for row in _inventory_module().inventory(str(tmp_path))}
    assert set(listed) == {"kpi_returns/returns_2011.CSV", "kpi_returns/returns_2012.csv"}
    upper = listed["kpi_returns/returns_2011.CSV"]
    assert (upper["line_count"], upper["has_data_rows"], upper["file_reason_code"]) == (
        3,
        True,
        None,
    )
    assert listed["kpi_returns/returns_2012.csv"]["line_count"] == 5
