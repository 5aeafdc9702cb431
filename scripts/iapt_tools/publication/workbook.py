"""The Excel workbook: one sheet per group type (the measures.csv rows of that group
type, same columns and values) and a Notes sheet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from iapt_tools.publication.layout import COLUMNS, GROUP_ORDER, PublishedRow

NOTES_SHEET = "Notes"
DISCLOSURE_RULES: tuple[str, ...] = (
    "Counts below England level: a count from 1 to 4 is shown as *; other counts are "
    "rounded to the nearest 5 (halves up). Zero is shown as 0.",
    "England counts are published unrounded.",
    "Percentages are computed from unrounded counts and shown as * when the numerator "
    "or the denominator is below 5 (England included); otherwise to a whole number "
    "below England level and to 1 decimal place at England level.",
    "Changes on the previous quarter (K111-K113) are shown as * when the current or "
    "the previous count is below 5.",
    "Means and medians are shown as * when the count behind them is below 5; "
    "otherwise to 1 decimal place.",
    "An empty value means the value is not defined (for example no level of need).",
    "Rows from the quarterly KPI returns (2011/12-2012/13) carry BREAKDOWN = 'KPI return'; "
    "all other rows come from the record-level IAPT data set.",
)


def sheet_name(group_type: str) -> str:
    """Excel forbids '/' in sheet names."""
    return group_type.replace("/", " x ")[:31]


def cell_value(text: str) -> str | int | float:
    """Numbers as numbers (so they sort and sum in Excel), * and empty as text."""
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    if "." in text:
        return float(number)
    return int(number)


def _autosize(sheet: object, widths: dict[int, int]) -> None:
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)  # type: ignore[attr-defined]


def write_workbook(
    rows: Sequence[PublishedRow],
    path: Path,
    *,
    title: str,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
    created: datetime,
) -> None:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = "IAPT warehouse publication"
    book.properties.created = created.replace(tzinfo=None)
    book.properties.modified = created.replace(tzinfo=None)
    present = {r.values["GROUP_TYPE"] for r in rows}
    groups = [g for g in GROUP_ORDER if g in present] + sorted(present - set(GROUP_ORDER))
    bold = Font(bold=True)
    for group in groups:
        sheet = book.create_sheet(sheet_name(group))
        sheet.append(list(COLUMNS))
        for cell in sheet[1]:
            cell.font = bold
        widths = {i + 1: len(c) for i, c in enumerate(COLUMNS)}
        for row in rows:
            if row.values["GROUP_TYPE"] != group:
                continue
            values = [row.values[c] for c in COLUMNS]
            sheet.append([*values[:-1], cell_value(values[-1])])
            if "." in values[-1]:
                sheet.cell(sheet.max_row, len(COLUMNS)).number_format = "0.0"
            for i, v in enumerate(values, start=1):
                widths[i] = max(widths[i], len(v))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        _autosize(sheet, widths)
    notes = book.create_sheet(NOTES_SHEET, 0)
    notes.append([title])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([])
    notes.append(["Disclosure control"])
    notes.cell(notes.max_row, 1).font = bold
    for rule in DISCLOSURE_RULES:
        notes.append([rule])
    notes.append([])
    notes.append(["Status per period"])
    notes.cell(notes.max_row, 1).font = bold
    notes.append(["Period start", "Period end", "Period type", "Source", "Status"])
    for p in periods:
        notes.append([p["start"], p["end"], p["period_type"], p["source"], p["status"]])
    notes.append([])
    notes.append(["Measure definitions"])
    notes.cell(notes.max_row, 1).font = bold
    headers = ["measure_id", "measure_name", "measure_type", "description"]
    notes.append(headers)
    for entry in catalogue:
        notes.append([entry.get(h, "") for h in headers])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 50
    notes.column_dimensions["D"].width = 80
    book.save(path)
