"""A minimal streaming .xlsx (Office Open XML) writer for large published tables.

openpyxl (without lxml, as installed here) serialises about 10-20 thousand cells a
second, which is minutes for a national table; this writes the same SpreadsheetML
directly (inline strings, three cell styles) and streams each sheet into the zip.
The tests read every sheet back with openpyxl."""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | None
STYLE_PLAIN, STYLE_BOLD, STYLE_ONE_DP, STYLE_TITLE = 0, 1, 2, 3
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


@dataclass
class XlsxWriter:
    path: Path
    title: str = ""
    created: datetime | None = None
    _sheets: list[str] = field(default_factory=list)

    def write(self, sheets: Sequence[Sheet]) -> None:
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for number, sheet in enumerate(sheets, start=1):
                with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as handle:
                    for chunk in _sheet_xml(sheet):
                        handle.write(chunk.encode("utf-8"))
            names = [s.name for s in sheets]
            archive.writestr("[Content_Types].xml", _content_types(len(names)))
            archive.writestr("_rels/.rels", _root_rels())
            archive.writestr("docProps/core.xml", _core(self.title, self.created))
            archive.writestr("xl/workbook.xml", _workbook(names))
            archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
            archive.writestr("xl/styles.xml", _STYLES)


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
            if isinstance(value, bool) or not isinstance(value, int | float):
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
    yield "</sheetData>"
    if sheet.auto_filter:
        yield f'<autoFilter ref="{sheet.auto_filter}"/>'
    yield "</worksheet>"


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
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
