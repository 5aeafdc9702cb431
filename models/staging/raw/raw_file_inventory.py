"""Every raw file the build can see, with its header row (read once, first line only).

One row per present file, plus one row (is_present = false) per Part A file that a
submission folder lacks. A submission folder is any directory below iapt_v2/ holding at
least one of the seven IDS files. folder_signature changes when any file of the folder
changes (a KPI return file is its own unit): the base_ models re-read by it. Reading
only the first lines of each file keeps this cheap: ~13k files take about a second.
"""

import csv
import hashlib
import os
from typing import Any

IAPT_V2_FILES = (
    "IDS000_Header",
    "IDS001_MPI",
    "IDS101_Referral",
    "IDS603_PresentingComplaints",
    "IDS201_CareContact",
    "IDS606_CodedScoreAssessment",
    "IDS004_EmpStatus",
)


def _header(path: str) -> tuple[str, bool]:
    """The file's column names joined with '|' ('' for an empty file), and whether any
    non-blank line follows the header (a header-only file has nothing to read)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        line = handle.readline()
        if not line.strip():
            return "", False
        has_data_rows = any(rest.strip() for rest in handle)
    names = next(csv.reader([line]))
    return "|".join(name.strip() for name in names), has_data_rows


def _signature(path: str) -> str:
    stat = os.stat(path)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _folder_signature(entries: list[str]) -> str:
    """One signature for a submission folder: changes when any of its files changes,
    appears or disappears, so the folder's rows are re-read together."""
    return hashlib.md5("|".join(entries).encode()).hexdigest()


def _walk_csv(root: str) -> list[tuple[str, str]]:
    """(directory, file name) of every .csv below root, sorted."""
    found = []
    for directory, _dirs, files in os.walk(root):
        found.extend((directory, name) for name in files if name.endswith(".csv"))
    return sorted(found)


def inventory(raw_dir: str) -> list[tuple]:
    rows = []
    iapt_root = os.path.join(raw_dir, "iapt_v2")
    folders: dict[str, set[str]] = {}
    for directory, name in _walk_csv(iapt_root):
        stem = name[: -len(".csv")]
        if stem in IAPT_V2_FILES:
            folders.setdefault(directory, set()).add(stem)
    for directory in sorted(folders):
        folder = os.path.relpath(directory, raw_dir)
        folder_rows = []
        for stem in IAPT_V2_FILES:
            path = os.path.join(directory, stem + ".csv")
            source_file = os.path.join(folder, stem + ".csv")
            if stem in folders[directory]:
                header, has_data_rows = _header(path)
                folder_rows.append(
                    (
                        "iapt_v2",
                        stem,
                        source_file,
                        folder,
                        path,
                        _signature(path),
                        True,
                        header,
                        has_data_rows,
                    )
                )
            else:
                folder_rows.append(
                    ("iapt_v2", stem, source_file, folder, path, None, False, None, False)
                )
        folder_signature = _folder_signature([f"{row[1]}:{row[5]}" for row in folder_rows])
        rows.extend((*row, folder_signature) for row in folder_rows)
    kpi_root = os.path.join(raw_dir, "kpi_returns")
    for directory, name in _walk_csv(kpi_root):
        path = os.path.join(directory, name)
        source_file = os.path.relpath(path, raw_dir)
        signature = _signature(path)
        # a KPI return file is its own unit: its folder signature is the file's
        rows.append(
            (
                "kpi_returns",
                "kpi_returns",
                source_file,
                None,
                path,
                signature,
                True,
                *_header(path),
                signature,
            )
        )
    return rows


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    raw_dir = dbt.config.get("raw_dir")
    rows = inventory(raw_dir)
    columns = [
        "part",
        "source_table",
        "source_file",
        "submission_folder",
        "file_path",
        "file_signature",
        "is_present",
        "header_columns",
        "has_data_rows",
        "folder_signature",
    ]
    types = ["varchar"] * 6 + ["boolean", "varchar", "boolean", "varchar"]
    lists = [[row[i] for row in rows] for i in range(len(columns))]
    select = ", ".join(
        f"unnest(${i + 1}::{types[i]}[]) as {name}" for i, name in enumerate(columns)
    )
    session.execute(
        f"create or replace temp table raw_file_inventory__rows as select {select}", lists
    )
    return session.table("raw_file_inventory__rows")
