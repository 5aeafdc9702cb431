"""The document renderers (iapt_tools.document.render) against hand-written output: a
heading, a paragraph that needs escaping, bullets, a table, and the summary's own
blocks (banner, chart, links)."""

from iapt_tools.document.model import (
    Banner,
    Bullets,
    Chart,
    Document,
    Heading,
    Links,
    Paragraph,
    Table,
)
from iapt_tools.document.render import to_html, to_markdown

DOC = Document(
    "Q&A: <one> page",
    [
        Heading("What's checked", 2),
        Paragraph('Rows < 5 & "small" are shown as *, providers\' names as sent.'),
        Bullets(["first", "a | b"]),
        Table(["Item", "Rows", "Valid"], [["NHS number", 1234, "98.5%"], ["a | b", "*", "n/a"]]),
        Heading("Detail", 3),
    ],
)


def _body(page: str) -> str:
    return page.split("</head><body>\n", 1)[1]


def test_statement_html_escapes_like_html_escape_and_right_aligns_figures():
    page = to_html(DOC, "statement")
    assert page.startswith(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        "<title>Q&amp;A: &lt;one&gt; page</title>\n<style>\nbody{"
    )
    assert _body(page) == (
        "<h1>Q&amp;A: &lt;one&gt; page</h1>\n"
        "<h2>What&#x27;s checked</h2>\n"
        "<p>Rows &lt; 5 &amp; &quot;small&quot; are shown as *, "
        "providers&#x27; names as sent.</p>\n"
        "<ul><li>first</li><li>a | b</li></ul>\n"
        "<table><thead><tr><th>Item</th><th>Rows</th><th>Valid</th></tr></thead><tbody>"
        '<tr><td>NHS number</td><td class="n">1234</td><td class="n">98.5%</td></tr>'
        '<tr><td>a | b</td><td class="n">*</td><td>n/a</td></tr>'
        "</tbody></table>\n"
        "<h3>Detail</h3>\n"
        "</body></html>\n"
    )


def test_statement_markdown_escapes_pipes_in_cells():
    assert to_markdown(DOC, "statement") == (
        "# Q&A: <one> page\n"
        "\n"
        "## What's checked\n"
        "\n"
        'Rows < 5 & "small" are shown as *, providers\' names as sent.\n'
        "\n"
        "- first\n"
        "- a | b\n"
        "\n"
        "| Item | Rows | Valid |\n"
        "|---|---|---|\n"
        "| NHS number | 1234 | 98.5% |\n"
        "| a \\| b | * | n/a |\n"
        "\n"
        "### Detail\n"
    )


SUMMARY = Document(
    "Summary",
    [
        Banner("Synthetic <data>"),
        Table(("About", "Detail"), (("Version", "2"), ("Source", "x | y"))),
        Chart("trend", '<svg width="1"><path d="M0 0"/></svg>', 'Referrals "by month"'),
        Links((("measures.csv", "every row & more"),)),
    ],
)


def test_summary_html_embeds_the_chart_svg_and_aligns_no_cell():
    page = to_html(SUMMARY, "summary")
    assert page.startswith(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Summary</title><style>\nbody{"
    )
    assert _body(page) == (
        "<h1>Summary</h1>\n"
        '<p class="banner" role="alert"><strong>Synthetic &lt;data&gt;</strong></p>\n'
        "<table><thead><tr><th>About</th><th>Detail</th></tr></thead><tbody>"
        "<tr><td>Version</td><td>2</td></tr><tr><td>Source</td><td>x | y</td></tr>"
        "</tbody></table>\n"
        '<figure role="img" aria-label="Referrals &quot;by month&quot;">'
        '<svg width="1"><path d="M0 0"/></svg>'
        "<figcaption>Referrals &quot;by month&quot;</figcaption></figure>\n"
        '<ul><li><a href="measures.csv">measures.csv</a>: every row &amp; more</li></ul>\n'
        "</body></html>\n"
    )


def test_summary_markdown_links_charts_and_replaces_pipes():
    assert to_markdown(SUMMARY, "summary", {"trend": "charts/trend.svg"}) == (
        "# Summary\n"
        "\n"
        "> **Synthetic <data>**\n"
        "\n"
        "| About | Detail |\n"
        "|---|---|\n"
        "| Version | 2 |\n"
        "| Source | x / y |\n"
        "\n"
        '![Referrals "by month"](charts/trend.svg)\n'
        "\n"
        '*Referrals "by month"*\n'
        "\n"
        "- [measures.csv](measures.csv): every row & more\n"
    )


def test_a_document_without_blocks_is_its_title():
    assert to_markdown(Document("Only", []), "statement") == "# Only\n"
    assert _body(to_html(Document("Only", []), "statement")) == ("<h1>Only</h1>\n</body></html>\n")
