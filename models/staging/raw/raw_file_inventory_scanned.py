"""Every raw file the build can see: its header row, an independent count of its lines,
and any fault that rejects the whole file (docs/ingest.md, "Reading raw files").

One row per present file, plus one row (is_present = false) per Part A file that a
submission folder lacks. A submission folder is any directory below iapt_v2/ holding at
least one of the seven IDS files (names compared ignoring case, so that a misnamed file
is reported, not lost). folder_signature changes when any file of the folder changes (a
KPI return file is its own unit): the base_ models re-read by it.

Each file is read once here as bytes: the line count (the independent count the
reconciliation checks the parser against), the encoding checks and the header come
from C-level byte operations, so ~13k files / 2.3 GB take a few seconds. A later build
reuses the stored facts of a file whose signature (size, modification time) is
unchanged, as long as the scanning code is too (scanner_digest), so adding a month
reads only the month's files.
"""

import contextlib
import csv
import hashlib
import os
import stat
import types
from typing import Any, NamedTuple


class FileLayout(NamedTuple):
    """The Part A files of a submission folder, from the raw contract (vars raw_contract
    in dbt_project.yml: the model gets it through its config, scripts/scan_raw.py from
    iapt_tools.raw_contract). must_have_rows: a header-only file of these tables is a bad
    delivery (empty_file); the other tables may legitimately hold no rows in a month."""

    iapt_v2_files: tuple[str, ...]
    must_have_rows: tuple[str, ...]

    @classmethod
    def from_config(cls, iapt_v2_files: str, must_have_rows: str) -> "FileLayout":
        return cls(tuple(iapt_v2_files.split(",")), tuple(must_have_rows.split(",")))


# Lines listed per file with an undecodable byte (enough to find them; the count is exact).
MAX_LISTED_LINES = 1000

COLUMNS = [
    ("part", "varchar"),
    ("source_table", "varchar"),
    ("source_file", "varchar"),
    ("submission_folder", "varchar"),
    ("file_path", "varchar"),
    ("file_signature", "varchar"),
    ("is_present", "boolean"),
    ("header_columns", "varchar"),
    ("has_data_rows", "boolean"),
    ("line_count", "bigint"),
    ("header_field_count", "bigint"),
    ("file_reason_code", "varchar"),
    ("file_reason_detail", "varchar"),
    ("read_encoding", "varchar"),
    ("bad_encoding_lines", "varchar"),
    ("folder_signature", "varchar"),
    ("scanner_digest", "varchar"),
]
# What _file_facts finds out about a file (reused while its signature is unchanged).
FACTS = (
    "header_columns",
    "line_count",
    "header_field_count",
    "file_reason_code",
    "file_reason_detail",
    "read_encoding",
    "bad_encoding_lines",
)


def _line_count(data: bytes) -> int:
    """Physical lines, as a line reader sees them: LF (or CRLF) ends a line; a file with
    only CR line ends counts CRs; a last line without a line end still counts."""
    if not data:
        return 0
    end = b"\n" if b"\n" in data else b"\r"
    return data.count(end) + (0 if data.endswith(end) else 1)


def _bad_lines(data: bytes) -> list[int]:
    """1-based numbers of the lines that are not valid UTF-8 or hold a 0x01 byte (the
    line reader's field separator)."""
    bad = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if b"\x01" in line:
            bad.append(number)
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    return bad


def _file_facts(path: str, source_table: str, layout: FileLayout) -> dict[str, Any]:
    """Header, line count, read encoding and file-level fault of one file."""
    facts: dict[str, Any] = {
        "header_columns": None,
        "line_count": None,
        "header_field_count": None,
        "file_reason_code": None,
        "file_reason_detail": None,
        "read_encoding": "utf-8",
        "bad_encoding_lines": None,
    }

    def reject(code: str, detail: str) -> dict[str, Any]:
        facts["file_reason_code"], facts["file_reason_detail"] = code, detail
        return facts

    if os.path.islink(path) and not os.path.exists(path):
        return reject("unreadable_file", f"dangling symbolic link to {os.readlink(path)}")
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            return reject("unreadable_file", f"{kind}, not a file")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return reject("unreadable_file", f"cannot be read: {error.strerror}")
    facts["line_count"] = _line_count(data)
    if not data:
        return reject("empty_file", "0 bytes: no header line")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # its lines, counted in its own encoding (each is rejected with the file)
        with contextlib.suppress(UnicodeDecodeError):
            facts["line_count"] = _line_count(data.decode("utf-16").encode("utf-8"))
        return reject("bad_encoding", "UTF-16 (byte-order mark at line 1), not UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return reject("bad_encoding", f"NUL byte at line {line}: UTF-16 or binary, not UTF-8")
    bad = []
    if b"\x01" in data:
        bad = _bad_lines(data)
    elif not data.isascii():  # ASCII is valid UTF-8: skip the decode (most files)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            bad = _bad_lines(data)
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).rstrip(b"\r")
    if 1 in bad:
        return reject("bad_encoding", "line 1 (the header) is not valid UTF-8")
    if bad:
        # decoded byte for byte, so every line keeps its place; the listed lines are
        # rejected as bad_encoding, the others are loaded
        facts["read_encoding"] = "latin-1"
        facts["bad_encoding_lines"] = ",".join(str(n) for n in bad[:MAX_LISTED_LINES])
    text = first.decode("utf-8-sig")
    if not text.strip():
        return reject("empty_file", "line 1 is blank: no header line")
    names = [name.strip() for name in next(csv.reader([text]))]
    facts["header_columns"] = "|".join(names)
    facts["header_field_count"] = len(names)
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        return reject("duplicate_column", "header repeats column(s): " + ", ".join(repeated))
    if source_table in layout.must_have_rows and facts["line_count"] < 2:
        return reject("empty_file", "header line only: no data rows")
    return facts


def _signature(path: str) -> str | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return f"{found.st_size}:{found.st_mtime_ns}"


def _folder_signature(entries: list[str]) -> str:
    """One signature for a submission folder: changes when any of its files changes,
    appears or disappears, so the folder's rows are re-read together."""
    return hashlib.md5("|".join(entries).encode()).hexdigest()


def _walk(root: str, matches: Any) -> list[tuple[str, str]]:
    """(directory, name) of every entry below root whose name matches, sorted. Directories
    count too: a directory named like a raw file is reported, not skipped."""
    found = []
    for directory, dirs, files in os.walk(root):
        found.extend((directory, name) for name in files + dirs if matches(name))
    return sorted(found)


def _row(
    part: str,
    table: str,
    source_file: str,
    folder: str | None,
    path: str,
    known: dict,
    layout: FileLayout,
) -> dict:
    signature = _signature(path)
    facts = known.get((path, signature))
    return {
        "part": part,
        "source_table": table,
        "source_file": source_file,
        "submission_folder": folder,
        "file_path": path,
        "file_signature": signature,
        "is_present": True,
        **(dict(facts) if facts is not None else _file_facts(path, table, layout)),
    }


def scanner_digest(layout: FileLayout) -> str:
    """A digest of the code that finds a file's facts: the functions reachable from
    inventory() (their bytecode and constants), the module constants they name and the
    file layout. A stored row is reused only while this digest and the file's signature
    are unchanged, so a change to the scanning code or the contract re-reads every file."""
    scope = globals()
    seen: set[str] = set()
    parts: list[str] = [repr(layout)]

    def add_code(code: types.CodeType) -> None:
        parts.append(code.co_code.hex())
        for constant in code.co_consts:
            if isinstance(constant, types.CodeType):
                add_code(constant)
            elif isinstance(constant, frozenset):  # set order varies between processes
                parts.append(repr(sorted(repr(item) for item in constant)))
            else:
                parts.append(repr(constant))
        for name in code.co_names:
            add_name(name)

    def add_name(name: str) -> None:
        if name in seen or name not in scope:
            return
        seen.add(name)
        value = scope[name]
        if isinstance(value, types.FunctionType):
            add_code(value.__code__)
        elif isinstance(value, (str, int, tuple, list, dict)):
            parts.append(f"{name}={value!r}")

    add_name("inventory")
    return hashlib.md5("\x00".join(parts).encode()).hexdigest()


def inventory(raw_dir: str, layout: FileLayout, known: dict | None = None) -> list[dict[str, Any]]:
    """The rows. known: {(file_path, file_signature): facts} of an earlier scan by the
    same code (scanner_digest), reused instead of reading those files again."""
    known = known or {}
    # file_path is absolute (what both engines' readers report); the other paths are
    # relative to the raw root
    raw_dir = os.path.abspath(raw_dir)
    rows: list[dict[str, Any]] = []
    iapt_root = os.path.join(raw_dir, "iapt_v2")
    by_lower = {stem.lower() + ".csv": stem for stem in layout.iapt_v2_files}
    folders: dict[str, dict[str, str]] = {}
    for directory, name in _walk(iapt_root, lambda name: name.lower() in by_lower):
        folders.setdefault(directory, {})[name] = by_lower[name.lower()]
    for directory in sorted(folders):
        folder = os.path.relpath(directory, raw_dir)
        folder_rows = []
        for name, stem in sorted(folders[directory].items()):
            path = os.path.join(directory, name)
            row = _row("iapt_v2", stem, os.path.join(folder, name), folder, path, known, layout)
            if name != stem + ".csv" and row["file_reason_code"] is None:
                row["file_reason_code"] = "misnamed_file"
                row["file_reason_detail"] = (
                    f"{name} matches {stem}.csv only when case is ignored (names are exact)"
                )
            folder_rows.append(row)
        for stem in layout.iapt_v2_files:
            if stem + ".csv" not in folders[directory]:
                folder_rows.append(
                    {
                        "part": "iapt_v2",
                        "source_table": stem,
                        "source_file": os.path.join(folder, stem + ".csv"),
                        "submission_folder": folder,
                        "file_path": os.path.join(directory, stem + ".csv"),
                        "file_signature": None,
                        "is_present": False,
                    }
                )
        folder_signature = _folder_signature(
            [f"{row['source_file']}:{row['file_signature']}" for row in folder_rows]
        )
        rows.extend({**row, "folder_signature": folder_signature} for row in folder_rows)
    kpi_root = os.path.join(raw_dir, "kpi_returns")
    # KPI files have no contract name: any CSV, whatever the case of its extension
    for directory, name in _walk(kpi_root, lambda name: name.lower().endswith(".csv")):
        path = os.path.join(directory, name)
        row = _row(
            "kpi_returns", "kpi_returns", os.path.relpath(path, raw_dir), None, path, known, layout
        )
        # a KPI return file is its own unit: its folder signature is the file's
        rows.append({**row, "folder_signature": row["file_signature"]})
    digest = scanner_digest(layout)
    for row in rows:
        lines = row.get("line_count") or 0
        row["has_data_rows"] = row.get("file_reason_code") is None and lines > 1
        row["scanner_digest"] = digest
    return rows


def inventory_query(
    raw_dir: str, layout: FileLayout, known: dict | None = None
) -> tuple[str, list[list[Any]]]:
    """A DuckDB select of the inventory with its parameters (one list per column): the
    model's rows here, and scripts/scan_raw.py's parquet file for Spark."""
    rows = inventory(raw_dir, layout, known)
    lists = [[row.get(name) for row in rows] for name, _ in COLUMNS]
    select = ", ".join(
        f"unnest(${i + 1}::{kind}[]) as {name}" for i, (name, kind) in enumerate(COLUMNS)
    )
    return f"select {select}", lists


def known_facts(session: Any, relation: str, layout: FileLayout) -> dict:
    """{(file_path, file_signature): facts} of the stored inventory's files, when it was
    written by this scanning code (none before the first build or after a change)."""
    import duckdb

    try:
        stored = session.execute(
            f"select file_path, file_signature, {', '.join(FACTS)} from {relation}"
            " where is_present and file_signature is not null and scanner_digest = ?",
            [scanner_digest(layout)],
        ).fetchall()
    except duckdb.Error:  # no stored table yet, or one without scanner_digest
        return {}
    return {(row[0], row[1]): dict(zip(FACTS, row[2:], strict=True)) for row in stored}


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    layout = FileLayout.from_config(
        dbt.config.get("iapt_v2_files"), dbt.config.get("must_have_rows")
    )
    query, parameters = inventory_query(
        dbt.config.get("raw_dir"), layout, known_facts(session, dbt.this, layout)
    )
    session.execute(
        f"create or replace temp table raw_file_inventory_scanned__rows as {query}", parameters
    )
    return session.table("raw_file_inventory_scanned__rows")
