"""A minimal streaming .xlsx (Office Open XML) writer for large published tables.

openpyxl (without lxml, as installed here) serialises about 10-20 thousand cells a
second, which is minutes for a national table; this writes the same SpreadsheetML
directly (inline strings, three cell styles) and streams each sheet into the zip.
Small sheets are given as Python cells; large ones as `<row>` elements that DuckDB
renders (`row_xml_sql`) and the caller streams in batches, so no table is ever held in
Python. The tests read every sheet back with openpyxl."""

from __future__ import annotations

import functools
import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | date | None
STYLE_PLAIN, STYLE_BOLD, STYLE_ONE_DP, STYLE_TITLE, STYLE_DATE, STYLE_COUNT = 0, 1, 2, 3, 4, 5
STYLE_BANNER = 6
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap bug)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Sheet:
    name: str
    rows: Iterable[Sequence[tuple[Cell, int]]]  # (value, style) per cell
    widths: Sequence[float] = ()
    freeze_header: bool = False
    auto_filter: str | None = None  # e.g. "A1:M100"
    dimension: str | None = None  # the used range, e.g. "A1:M100" (readers pad rows to it)
    # Rendered <row> elements (from row_xml_sql) that follow `rows`, in batches.
    xml_rows: Iterable[str] = ()


@dataclass
class XlsxWriter:
    path: Path
    title: str = ""
    created: datetime | None = None
    # Deflate level 3: a third of level 6's time for a file about 15% larger (national
    # sheets are ~1.5 GB of XML).
    compresslevel: int = 3

    def write(self, sheets: Sequence[Sheet]) -> None:
        with zipfile.ZipFile(
            self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel
        ) as archive:
            for number, sheet in enumerate(sheets, start=1):
                with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as handle:
                    # Render the next batches (DuckDB) while this one is compressed: both
                    # release the GIL, so the two run on two cores.
                    for chunk in _prefetched(_encoded(_sheet_xml(sheet))):
                        handle.write(chunk)
            names = [s.name for s in sheets]
            archive.writestr("[Content_Types].xml", _content_types(len(names)))
            archive.writestr("_rels/.rels", _root_rels())
            archive.writestr("docProps/core.xml", _core(self.title, self.created))
            archive.writestr("xl/workbook.xml", _workbook(names))
            archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
            archive.writestr("xl/styles.xml", _STYLES)


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


_DONE = object()


def _prefetched(items: Iterable[bytes], depth: int = 4) -> Iterator[bytes]:
    """Iterate `items` in a background thread, at most `depth` items ahead; an error
    there is raised here, and stopping early stops the thread."""
    ahead: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer
            put(error)

    thread = threading.Thread(target=produce, name="xlsx-render", daemon=True)
    thread.start()
    try:
        while (item := ahead.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()


@functools.lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """Escaped cell text (cached: published tables repeat names, codes and dates)."""
    return escape(_ILLEGAL_XML.sub("", value))


def _sheet_xml(sheet: Sheet) -> Iterable[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
    if sheet.dimension:
        yield f'<dimension ref="{sheet.dimension}"/>'
    if sheet.freeze_header:
        yield (
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        )
    if sheet.widths:
        yield "<cols>"
        for i, width in enumerate(sheet.widths, start=1):
            yield f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>'
        yield "</cols>"
    yield "<sheetData>"
    letters = [column_letter(i) for i in range(1, 65)]
    buffer: list[str] = []
    for r, row in enumerate(sheet.rows, start=1):
        cells = []
        for c, (value, style) in enumerate(row, start=1):
            if value is None or value == "":
                continue
            ref = f"{letters[c - 1] if c <= 64 else column_letter(c)}{r}"
            s = f' s="{style}"' if style else ""
            if isinstance(value, date) and not isinstance(value, datetime):
                serial = (value - EXCEL_EPOCH).days
                cells.append(f'<c r="{ref}" s="{style or STYLE_DATE}"><v>{serial}</v></c>')
            elif isinstance(value, bool) or not isinstance(value, int | float):
                cells.append(
                    f'<c r="{ref}"{s} t="inlineStr"><is><t>{_text(str(value))}</t></is></c>'
                )
            else:
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
        buffer.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(buffer) >= 2000:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer)
    yield from sheet.xml_rows
    yield "</sheetData>"
    if sheet.auto_filter:
        yield f'<autoFilter ref="{sheet.auto_filter}"/>'
    yield "</worksheet>"


# SQL twins of the cell rendering above, for rows rendered by DuckDB. Built with
# concat() (one allocation per piece of XML, nulls skipped) rather than chains of ||,
# which copy the growing row once per operator.
_NUMBER_SQL = "'-?[0-9]+'"
_ONE_DP_SQL = "'-?[0-9]+\\.[0-9]+'"
_NEEDS_ESCAPE_SQL = "'[&<>\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]'"
_ILLEGAL_XML_SQL = "'[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]'"


def _text_sql(value: str) -> str:
    """SQL: escaped cell text, like `_text`; most texts need nothing, so test first."""
    cleaned = f"regexp_replace({value}, {_ILLEGAL_XML_SQL}, '', 'g')"
    escaped = f"replace(replace(replace({cleaned}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    return f"case when regexp_matches({value}, {_NEEDS_ESCAPE_SQL}) then {escaped} else {value} end"


def _cell_sql(ref: str, attributes: str, content: str) -> str:
    """SQL: '<c r="A<row>"{attributes}>{content}</c>' (content is SQL)."""
    return f"""concat('<c r="{ref}', _r, '"{attributes}>', {content}, '</c>')"""


def row_xml_sql(cells: Sequence[tuple[str, bool]], dates: Sequence[int] = ()) -> str:
    """SQL rendering one `<row>` element from varchar expressions, like `_sheet_xml`.

    `cells` are (SQL expression, numeric) per column from A. A numeric cell whose text
    is a number is written as a number (1-dp style when it has a decimal point), any
    other text as an inline string; a null or empty cell is left out. The expression
    reads the row number as text from a column `_r`: select from `row_xml_source(...)`.
    `dates`: 1-based columns whose expression is a DATE, written as an Excel date
    (a day number with a yyyy-mm-dd format); whole numbers get a thousands separator."""
    parts = []
    for index, (value, numeric) in enumerate(cells, start=1):
        ref = column_letter(index)
        if index in dates:
            serial = f"date_diff('day', date '{EXCEL_EPOCH.isoformat()}', {value})::varchar"
            cell = _cell_sql(ref, f' s="{STYLE_DATE}"', f"concat('<v>', {serial}, '</v>')")
            parts.append(f"case when {value} is null then null else {cell} end")
            continue
        inline = f"concat('<is><t>', {_text_sql(value)}, '</t></is>')"
        number = f"concat('<v>', {value}, '</v>')"
        whens = [f"when {value} is null or {value} = '' then null"]
        if numeric:
            whens.append(
                f"when regexp_full_match({value}, {_NUMBER_SQL})"
                f""" then {_cell_sql(ref, f' s="{STYLE_COUNT}"', number)}"""
            )
            whens.append(
                f"when regexp_full_match({value}, {_ONE_DP_SQL})"
                f""" then {_cell_sql(ref, f' s="{STYLE_ONE_DP}"', number)}"""
            )
        whens.append(f"""else {_cell_sql(ref, ' t="inlineStr"', inline)}""")
        parts.append(f"case {' '.join(whens)} end")
    return f"""concat('<row r="', _r, '">', {", ".join(parts)}, '</row>')"""


def row_xml_source(row_number: str, relation: str, where: str = "true") -> str:
    """SQL: the rows of `relation` that match `where`, with the varchar row number `_r`
    that row_xml_sql reads."""
    return f"(select *, ({row_number})::varchar as _r from {relation} where {where})"


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>' + overrides + "</Types>"
    )


def _root_rels() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    )


def _core(title: str, created: datetime | None) -> str:
    stamp = (created or datetime(2000, 1, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>IAPT warehouse publication</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'
    )


_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.0"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="4"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font>'
    '<font><b/><sz val="12"/><color rgb="FF000000"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFEB3B"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="2" borderId="0" xfId="0" applyFont="1"'
    ' applyFill="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
