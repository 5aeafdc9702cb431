"""The Excel workbook: a Notes sheet, then one sheet per group type (the measures.csv
rows of that group type, same columns and values). Written with the streaming writer in
`xlsx.py`: openpyxl's writer is too slow for national tables (see docs/publication.md);
DuckDB renders the data rows' XML from the `published` table and they are streamed in
batches; the tests read the workbook back with openpyxl."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from iapt_tools.publication import xlsx
from iapt_tools.publication.layout import COLUMNS, PUBLISHED

COVER_SHEET = "Cover"
CONTENTS_SHEET = "Contents"
NOTES_SHEET = "Notes"
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows per sheet, one of them the header
DATE_COLUMNS = ("REPORTING_PERIOD_START", "REPORTING_PERIOD_END")
FETCH_ROWS = 5_000  # rendered rows per batch handed to the zip stream
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
    "otherwise means to 1 decimal place and medians in whole days (halves up).",
    "An empty value means the value is not defined (for example no level of need).",
    "Rows from the quarterly KPI returns (2011/12-2012/13) carry BREAKDOWN = 'KPI return'; "
    "all other rows come from the record-level IAPT data set.",
)
SCOPE_NOTE = (
    "Every group type and breakdown is published for the periods ending in the as-at "
    "month or the month before it; for earlier periods this release carries the England "
    "Total rows (the time series) and the KPI returns, and earlier releases carry the rest."
)
DETAIL_LABELS = {"full": "all group types and breakdowns", "England Total": "England Total only"}


def sheet_name(group_type: str) -> str:
    """Excel forbids '/' in sheet names."""
    return group_type.replace("/", " x ")[:31]


@dataclass(frozen=True)
class _Group:
    name: str
    rows: int
    first_rowid: int  # a group's rows are contiguous in `published`
    longest: list[int]  # longest text per column


def _texts() -> list[str]:
    """SQL of each column's published text (the dates as YYYY-MM-DD, as in the CSV)."""
    return [f"strftime({c}, '%Y-%m-%d')" if c in DATE_COLUMNS else c for c in COLUMNS]


def _groups(con: duckdb.DuckDBPyConnection) -> list[_Group]:
    """The group types in sheet order (the stored order of `published`)."""
    lengths = ", ".join(f"max(length(coalesce({t}, '')))" for t in _texts())
    result = con.execute(
        f"select GROUP_TYPE, count(*), min(rowid), max(rowid), {lengths}"
        f" from {PUBLISHED} group by 1 order by 3"
    ).fetchall()
    groups = []
    for name, rows, first, last, *longest in result:
        if last - first + 1 != rows:
            raise ValueError(f"rows of {name} are not stored together in {PUBLISHED}")
        groups.append(_Group(name, rows, first, [int(w or 0) for w in longest]))
    return groups


def _rendered_rows(con: duckdb.DuckDBPyConnection, first: int, last: int) -> Iterator[str]:
    """The XML of the rows stored at rowid first..last (a sheet's data rows, from sheet
    row 2), batch by batch; a rowid range scan keeps the stored order."""
    # Dates as Excel dates (the DATE columns themselves), the value column as numbers.
    texts = [c if c in DATE_COLUMNS else t for t, c in zip(_texts(), COLUMNS, strict=True)]
    cells = [(t, c == COLUMNS[-1]) for t, c in zip(texts, COLUMNS, strict=True)]
    dates = [i for i, c in enumerate(COLUMNS, start=1) if c in DATE_COLUMNS]
    source = xlsx.row_xml_source(f"rowid - {first - 2}", PUBLISHED, "rowid between ? and ?")
    # The temporary table lives on this connection (a cursor would not see it).
    sql = f"select {xlsx.row_xml_sql(cells, dates)} from {source}"
    result = con.execute(sql, [first, last])
    while batch := result.fetchmany(FETCH_ROWS):
        yield "".join(xml for (xml,) in batch)


def _group_sheets(con: duckdb.DuckDBPyConnection, group: _Group, max_rows: int) -> list[xlsx.Sheet]:
    """One sheet per group type; a group too big for one sheet continues in 'name (2)'."""
    widths = [
        min(max(max(len(c), w) + 2, 8), 60) for c, w in zip(COLUMNS, group.longest, strict=True)
    ]
    header = [(c, xlsx.STYLE_BOLD) for c in COLUMNS]
    last = xlsx.column_letter(len(COLUMNS))
    sheets = []
    for number in range(1, max(1, math.ceil(group.rows / max_rows)) + 1):
        skip = (number - 1) * max_rows
        count = min(max_rows, group.rows - skip)
        first_rowid = group.first_rowid + skip
        name = sheet_name(group.name)
        if number > 1:
            name = f"{name[:26]} ({number})"
        used = f"A1:{last}{count + 1}"
        sheets.append(
            xlsx.Sheet(
                name=name,
                rows=[header],
                xml_rows=_rendered_rows(con, first_rowid, first_rowid + count - 1),
                widths=widths,
                freeze_header=True,
                auto_filter=used,
                dimension=used,
            )
        )
    return sheets


def write_workbook(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    title: str,
    catalogue: Sequence[dict[str, str]],
    periods: Sequence[dict[str, str]],
    created: datetime,
    cover: Sequence[tuple[str, str]] = (),
    banner: str = "",
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> None:
    """A cover (title, banner, release facts), a contents sheet, the notes, then one
    sheet per group type of `published` (streamed)."""
    data: list[xlsx.Sheet] = []
    for group in _groups(con):
        data += _group_sheets(con, group, max_rows_per_sheet)
    contents = [
        (COVER_SHEET, "title, status and contact"),
        (CONTENTS_SHEET, "this list"),
        (NOTES_SHEET, "disclosure control, periods and status, measure definitions"),
        *((sheet.name, f"published rows of group type {_group_of(sheet.name)}") for sheet in data),
    ]
    sheets = [
        _cover(title, cover, banner),
        _contents(contents),
        _notes(title, catalogue, periods),
        *data,
    ]
    xlsx.XlsxWriter(path, title=title, created=created).write(sheets)


def _group_of(sheet: str) -> str:
    name = sheet.split(" (")[0]
    return name.replace(" x ", "/")


def _cover(title: str, facts: Sequence[tuple[str, str]], banner: str) -> xlsx.Sheet:
    rows: list[list[tuple[xlsx.Cell, int]]] = [[(title, xlsx.STYLE_TITLE)], []]
    if banner:
        rows += [[(banner, xlsx.STYLE_BANNER)], []]
    rows += [[(name, xlsx.STYLE_BOLD), (value, xlsx.STYLE_PLAIN)] for name, value in facts]
    rows += [[], [("The sheets of this workbook are listed on the Contents sheet.",
                   xlsx.STYLE_PLAIN)]]  # fmt: skip
    return xlsx.Sheet(name=COVER_SHEET, rows=rows, widths=[24, 110])


def _contents(entries: Sequence[tuple[str, str]]) -> xlsx.Sheet:
    rows: list[list[tuple[xlsx.Cell, int]]] = [[("Sheet", xlsx.STYLE_BOLD),
                                                ("Contents", xlsx.STYLE_BOLD)]]  # fmt: skip
    rows += [[(name, xlsx.STYLE_PLAIN), (what, xlsx.STYLE_PLAIN)] for name, what in entries]
    return xlsx.Sheet(name=CONTENTS_SHEET, rows=rows, widths=[32, 80], freeze_header=True)


def _notes(
    title: str, catalogue: Sequence[dict[str, str]], periods: Sequence[dict[str, str]]
) -> xlsx.Sheet:
    plain, bold = xlsx.STYLE_PLAIN, xlsx.STYLE_BOLD

    def line(*values: str) -> list[tuple[xlsx.Cell, int]]:
        return [(v, plain) for v in values]

    rows: list[list[tuple[xlsx.Cell, int]]] = [[(title, xlsx.STYLE_TITLE)], []]
    rows.append([("Disclosure control", bold)])
    rows += [line(rule) for rule in DISCLOSURE_RULES]
    rows += [[], [("Periods in this release", bold)], line(SCOPE_NOTE)]
    rows += [[], [("Status per period", bold)]]
    rows.append([(h, bold) for h in ("Period start", "Period end", "Period type", "Source",
                                     "Status", "Published")])  # fmt: skip
    rows += [line(p["start"], p["end"], p["period_type"], p["source"], p["status"],
                  DETAIL_LABELS.get(p["detail"], p["detail"]))
             for p in periods]  # fmt: skip
    rows += [[], [("Measure definitions", bold)]]
    headers = ("measure_id", "measure_name", "measure_type", "description")
    rows.append([(h, bold) for h in headers])
    rows += [line(*(entry.get(h, "") for h in headers)) for entry in catalogue]
    return xlsx.Sheet(name=NOTES_SHEET, rows=rows, widths=[24, 50, 14, 80, 12, 28])
