"""The Excel workbook: one sheet per group type (the measures.csv rows of that group
type, same columns and values) and a Notes sheet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows per sheet, one of them the header


def _value_cell(sheet: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=cell_value(text))  # type: ignore[arg-type]
    if "." in text:
        cell.number_format = "0.0"
    return cell


def _group_sheets(book: Workbook, group: str, rows: Sequence[PublishedRow], max_rows: int) -> None:
    """One sheet per group type; a group too big for one sheet continues in 'name (2)'."""
    widths = [len(c) for c in COLUMNS]
    for row in rows:
        for i, column in enumerate(COLUMNS):
            widths[i] = max(widths[i], len(row.values[column]))
    chunks = [rows[i : i + max_rows] for i in range(0, len(rows), max_rows)] or [rows]
    for number, chunk in enumerate(chunks, start=1):
        name = sheet_name(group) if number == 1 else f"{sheet_name(group)[:26]} ({number})"
        sheet = book.create_sheet(name)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(chunk) + 1}"
        header = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in chunk:
            values = [row.values[c] for c in COLUMNS]
            sheet.append([*values[:-1], _value_cell(sheet, values[-1])])


def write_workbook(
    rows: Sequence[PublishedRow],
    path: Path,
    *,
    title: str,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
    created: datetime,
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> None:
    """Streamed (write-only) workbook: the Notes sheet first, then one sheet per group."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = "IAPT warehouse publication"
    book.properties.created = created.replace(tzinfo=None)
    book.properties.modified = created.replace(tzinfo=None)
    _notes(book, title, catalogue, periods)
    by_group: dict[str, list[PublishedRow]] = {}
    for row in rows:
        by_group.setdefault(row.values["GROUP_TYPE"], []).append(row)
    groups = [g for g in GROUP_ORDER if g in by_group]
    groups += sorted(set(by_group) - set(GROUP_ORDER))
    for group in groups:
        _group_sheets(book, group, by_group[group], max_rows_per_sheet)
    book.save(path)


def _notes(
    book: Workbook,
    title: str,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
) -> None:
    notes = book.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 50
    notes.column_dimensions["D"].width = 80

    def heading(text: str, size: int = 11) -> None:
        cell = WriteOnlyCell(notes, value=text)
        cell.font = Font(bold=True, size=size)
        notes.append([cell])

    heading(title, 14)
    notes.append([])
    heading("Disclosure control")
    for rule in DISCLOSURE_RULES:
        notes.append([rule])
    notes.append([])
    heading("Status per period")
    notes.append(["Period start", "Period end", "Period type", "Source", "Status"])
    for p in periods:
        notes.append([p["start"], p["end"], p["period_type"], p["source"], p["status"]])
    notes.append([])
    heading("Measure definitions")
    headers = ["measure_id", "measure_name", "measure_type", "description"]
    notes.append(headers)
    for entry in catalogue:
        notes.append([entry.get(h, "") for h in headers])
