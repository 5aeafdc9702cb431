"""The raw-file inventory on its own (no dbt): which files it lists and what it counts."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from iapt_tools.raw_contract import load_contract
from test_ingest_support import PROJECT_ROOT

KPI_HEADER = b"Quarter,OrgCode,ReturnType,SubmittedAt,NilReturn\n"


CONTRACT = load_contract()


def _inventory_module() -> ModuleType:
    path = PROJECT_ROOT / "models" / "staging" / "raw" / "raw_file_inventory_scanned.py"
    spec = importlib.util.spec_from_file_location("raw_file_inventory", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _layout(module: ModuleType) -> object:
    """The file layout the model's config renders from the raw contract."""
    return module.FileLayout(tuple(CONTRACT.iapt_v2_files), tuple(CONTRACT.must_have_rows))


def test_a_kpi_return_with_an_upper_case_extension_is_read(tmp_path: Path) -> None:
    """KPI files have no contract name: `.CSV` is a CSV file like `.csv`, so its rows are
    read and reconciled, never lost; a file that is not CSV is not a return."""
    kpi = tmp_path / "kpi_returns"
    kpi.mkdir()
    rows = b"2011-12 Q1,5A3,Original,2011-07-20 10:00:00,N\n" * 2
    (kpi / "returns_2011.CSV").write_bytes(KPI_HEADER + rows)
    (kpi / "returns_2012.csv").write_bytes(KPI_HEADER + rows + rows)
    (kpi / "notes.txt").write_bytes(b"not a return\n")
    module = _inventory_module()
    listed = {row["source_file"]: row for row in module.inventory(str(tmp_path), _layout(module))}
    assert set(listed) == {"kpi_returns/returns_2011.CSV", "kpi_returns/returns_2012.csv"}
    upper = listed["kpi_returns/returns_2011.CSV"]
    assert (upper["line_count"], upper["has_data_rows"], upper["file_reason_code"]) == (
        3,
        True,
        None,
    )
    assert listed["kpi_returns/returns_2012.csv"]["line_count"] == 5


def test_a_file_with_an_unchanged_signature_is_not_read_again(tmp_path: Path) -> None:
    """A later build reuses the facts of a file whose size and modification time are
    unchanged (known), and reads a file again as soon as its signature changes."""
    module = _inventory_module()
    kpi = tmp_path / "kpi_returns"
    kpi.mkdir()
    path = kpi / "returns.csv"
    path.write_bytes(KPI_HEADER + b"2011-12 Q1,5A3,Original,2011-07-20 10:00:00,N\n")
    first = {row["file_path"]: row for row in module.inventory(str(tmp_path), _layout(module))}
    known = {
        (row["file_path"], row["file_signature"]): {name: row[name] for name in module.FACTS}
        for row in first.values()
    }
    # same size and modification time, different content: a reused row still says 2 lines
    stat = path.stat()
    path.write_bytes(KPI_HEADER + b"\n" * (stat.st_size - len(KPI_HEADER)))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reused = module.inventory(str(tmp_path), _layout(module), known)[0]
    assert (reused["line_count"], reused["file_signature"]) == (
        2,
        first[str(path)]["file_signature"],
    )
    assert (
        module.inventory(str(tmp_path), _layout(module))[0]["line_count"] > 2
    )  # what a real read finds
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert module.inventory(str(tmp_path), _layout(module), known)[0]["line_count"] > 2


def test_the_scanner_digest_follows_the_scanning_code() -> None:
    """Reused rows are only as current as the code that found them: the digest changes
    with a constant the scan reads and with the code of a function it calls."""
    module = _inventory_module()
    layout = _layout(module)
    digest = module.scanner_digest(layout)
    assert _inventory_module().scanner_digest(layout) == digest  # stable across loads
    assert module.scanner_digest(layout._replace(must_have_rows=())) != digest  # contract
    module.MAX_LISTED_LINES += 1
    assert module.scanner_digest(layout) != digest
    module.MAX_LISTED_LINES -= 1
    module._line_count = lambda data: 0
    assert module.scanner_digest(layout) != digest
