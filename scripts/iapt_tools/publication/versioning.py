"""Immutable, versioned release folders: publications/<YYYY-MM>/v<N>/.

A version is written into a hidden temporary folder beside its final place and renamed
into place only when complete, so a crash never leaves a half-written `v<N>`."""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from iapt_tools.publication.layout import KEY_COLUMNS

VERSION_PATTERN = re.compile(r"^v([1-9][0-9]*)$")
REVISION_COLUMNS: tuple[str, ...] = (
    *KEY_COLUMNS,
    "MEASURE_NAME",
    "CHANGE",
    "OLD_VALUE",
    "NEW_VALUE",
    "DIFFERENCE",
)


class PublicationError(RuntimeError):
    """A publication cannot be written as asked (e.g. v2+ without a reason)."""


def existing_versions(month_dir: Path) -> list[int]:
    if not month_dir.is_dir():
        return []
    found = (VERSION_PATTERN.match(p.name) for p in month_dir.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def next_version(month_dir: Path, reason: str | None) -> tuple[int, int | None]:
    """(new version, previous version or None); v2+ needs a reason."""
    versions = existing_versions(month_dir)
    previous = versions[-1] if versions else None
    if previous is not None and not (reason and reason.strip()):
        raise PublicationError(
            f"{month_dir} already has v{previous}: a new version (v{previous + 1}) needs "
            '--reason "why it is re-issued" (e.g. REASON="..." with make publish)'
        )
    return (previous or 0) + 1, previous


@contextlib.contextmanager
def atomic_version_dir(month_dir: Path, version: int) -> Iterator[Path]:
    """Yield an empty temporary folder; on success rename it to v<version>."""
    month_dir.mkdir(parents=True, exist_ok=True)
    final = month_dir / f"v{version}"
    if final.exists():
        raise PublicationError(f"{final} already exists: versions are never overwritten")
    temp = month_dir / f".v{version}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        yield temp
        _fsync_tree(temp)
        if final.exists():
            raise PublicationError(f"{final} appeared while writing: not overwritten")
        os.rename(temp, final)
        _fsync_dir(month_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for path in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        _fsync_dir(path)


@dataclass(frozen=True)
class Revision:
    key: dict[str, str]
    measure_name: str
    change: str  # changed, added, removed
    old_value: str
    new_value: str
    difference: str

    def as_row(self) -> dict[str, str]:
        return {
            **self.key,
            "MEASURE_NAME": self.measure_name,
            "CHANGE": self.change,
            "OLD_VALUE": self.old_value,
            "NEW_VALUE": self.new_value,
            "DIFFERENCE": self.difference,
        }


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _difference(old: str, new: str) -> str:
    old_n, new_n = _number(old), _number(new)
    if old_n is None or new_n is None:
        return ""
    places = max(-old_n.as_tuple().exponent, -new_n.as_tuple().exponent, 0)
    return f"{new_n - old_n:.{places}f}"


def compute_revisions(
    previous: Sequence[dict[str, str]], current: Sequence[dict[str, str]]
) -> list[Revision]:
    """Every published value that differs between two measures.csv tables."""
    old = {tuple(r[c] for c in KEY_COLUMNS): r for r in previous}
    new = {tuple(r[c] for c in KEY_COLUMNS): r for r in current}
    revisions: list[Revision] = []
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key), new.get(key)
        old_value = before["MEASURE_VALUE"] if before else ""
        new_value = after["MEASURE_VALUE"] if after else ""
        if before is not None and after is not None and old_value == new_value:
            continue
        change = "changed" if before and after else ("added" if after else "removed")
        name = (after or before or {}).get("MEASURE_NAME", "")
        revisions.append(
            Revision(
                key=dict(zip(KEY_COLUMNS, key, strict=True)),
                measure_name=name,
                change=change,
                old_value=old_value,
                new_value=new_value,
                difference=_difference(old_value, new_value),
            )
        )
    return revisions


def write_revisions(revisions: Sequence[Revision], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVISION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.as_row() for r in revisions)
