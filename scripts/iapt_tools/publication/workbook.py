"""The Excel workbook: a Notes sheet, then one sheet per group type (the measures.csv
rows of that group type, same columns and values). Written with the streaming writer in
`xlsx.py`: openpyxl's writer is too slow for national tables (see docs/publication.md);
the tests read the workbook back with openpyxl."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from iapt_tools.publication import xlsx
from iapt_tools.publication.layout import COLUMNS, GROUP_ORDER, PublishedRow

NOTES_SHEET = "Notes"
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows per sheet, one of them the header
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
    if not number.is_finite():
        return text
    if "." in text:
        return float(number)
    return int(number)


def _value_cell(text: str) -> tuple[xlsx.Cell, int]:
    return cell_value(text), xlsx.STYLE_ONE_DP if "." in text else xlsx.STYLE_PLAIN


def _group_sheets(group: str, rows: Sequence[PublishedRow], max_rows: int) -> list[xlsx.Sheet]:
    """One sheet per group type; a group too big for one sheet continues in 'name (2)'."""
    widths = [len(c) for c in COLUMNS]
    for row in rows:
        for i, column in enumerate(COLUMNS):
            widths[i] = max(widths[i], len(row.values[column]))
    header = [(c, xlsx.STYLE_BOLD) for c in COLUMNS]
    last = xlsx.column_letter(len(COLUMNS))
    chunks = [rows[i : i + max_rows] for i in range(0, len(rows), max_rows)] or [rows]
    sheets = []
    for number, chunk in enumerate(chunks, start=1):
        name = sheet_name(group) if number == 1 else f"{sheet_name(group)[:26]} ({number})"
        body = (
            [*((row.values[c], xlsx.STYLE_PLAIN) for c in COLUMNS[:-1]),
             _value_cell(row.values[COLUMNS[-1]])]
            for row in chunk
        )  # fmt: skip
        sheets.append(
            xlsx.Sheet(
                name=name,
                rows=itertools.chain([header], body),
                widths=[min(max(w + 2, 8), 60) for w in widths],
                freeze_header=True,
                auto_filter=f"A1:{last}{len(chunk) + 1}",
                dimension=f"A1:{last}{len(chunk) + 1}",
            )
        )
    return sheets


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
    """The Notes sheet first, then one sheet per group type (streamed)."""
    by_group: dict[str, list[PublishedRow]] = {}
    for row in rows:
        by_group.setdefault(row.values["GROUP_TYPE"], []).append(row)
    groups = [g for g in GROUP_ORDER if g in by_group]
    groups += sorted(set(by_group) - set(GROUP_ORDER))
    sheets = [_notes(title, catalogue, periods)]
    for group in groups:
        sheets += _group_sheets(group, by_group[group], max_rows_per_sheet)
    xlsx.XlsxWriter(path, title=title, created=created).write(sheets)


def _notes(
    title: str, catalogue: Sequence[dict[str, str]], periods: Sequence[dict[str, str]]
) -> xlsx.Sheet:
    plain, bold = xlsx.STYLE_PLAIN, xlsx.STYLE_BOLD

    def line(*values: str) -> list[tuple[xlsx.Cell, int]]:
        return [(v, plain) for v in values]

    rows: list[list[tuple[xlsx.Cell, int]]] = [[(title, xlsx.STYLE_TITLE)], []]
    rows.append([("Disclosure control", bold)])
    rows += [line(rule) for rule in DISCLOSURE_RULES]
    rows += [[], [("Status per period", bold)]]
    rows.append([(h, bold) for h in ("Period start", "Period end", "Period type", "Source",
                                     "Status")])  # fmt: skip
    rows += [line(p["start"], p["end"], p["period_type"], p["source"], p["status"])
             for p in periods]  # fmt: skip
    rows += [[], [("Measure definitions", bold)]]
    headers = ("measure_id", "measure_name", "measure_type", "description")
    rows.append([(h, bold) for h in headers])
    rows += [line(*(entry.get(h, "") for h in headers)) for entry in catalogue]
    return xlsx.Sheet(name=NOTES_SHEET, rows=rows, widths=[24, 50, 14, 80, 12])
