"""Render a `Document` to HTML or Markdown through the Jinja2 templates next to this
module (templates/<page>.html.j2 and <page>.md.j2, each extending page.html.j2 or
page.md.j2). A page template sets the page's own head (title, CSS) and table
conventions; the block layout lives once, in the base templates.

HTML is autoescaped; every value is escaped as `html.escape` does (quote=True:
&quot; and &#x27;, not MarkupSafe's &#34; and &#39;), so the pages keep the bytes they
had when they were written by hand. A chart's SVG is the one value marked safe.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from pathlib import Path

import jinja2
from markupsafe import Markup

from iapt_tools.document.model import Document
from iapt_tools.publication.disclosure import SUPPRESSED

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _html_escape(value: object) -> Markup:
    """Every {{ value }} of an HTML template: html.escape unless already markup."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)))


def _is_figure(text: str) -> bool:
    """A cell that reads as a number, percentage or suppressed value (right-aligned)."""
    return text == SUPPRESSED or text.replace(",", "").replace(".", "").replace("%", "").isdigit()


def _md_cell(text: str, pipe: str) -> str:
    """A Markdown table cell: '|' would end the cell, so it becomes `pipe`."""
    return text.replace("|", pipe)


@functools.cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=autoescape,
        finalize=_html_escape if autoescape else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.tests["figure"] = _is_figure
    env.filters["md_cell"] = _md_cell
    return env


def to_html(document: Document, page: str) -> str:
    """The self-contained HTML page (inline CSS, no external resources)."""
    template = _environment(True).get_template(f"{page}.html.j2")
    return template.render(document=document)


def to_markdown(document: Document, page: str, chart_paths: Mapping[str, str] | None = None) -> str:
    """The Markdown twin; a chart is an image link to chart_paths[chart.name]."""
    template = _environment(False).get_template(f"{page}.md.j2")
    return template.render(document=document, chart_paths=chart_paths or {})
