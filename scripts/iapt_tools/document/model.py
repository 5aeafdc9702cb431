"""The document model: a title and a sequence of typed, immutable blocks.

The executive summary and the data-quality statement build a `Document`; `render` turns
it into HTML or Markdown through the Jinja2 templates. Blocks hold the text as it is to
be read (already worded and formatted); the renderers only lay it out and escape it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]
    kind: ClassVar[str] = "bullets"

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class Table:
    """A header row and body rows; every cell is kept as its text (str of the value)."""

    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    kind: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(str(h) for h in self.header))
        object.__setattr__(self, "rows", tuple(tuple(str(c) for c in r) for r in self.rows))


@dataclass(frozen=True)
class Chart:
    """An SVG chart: `name` names its file next to the Markdown (charts/<name>.svg); the
    HTML embeds `svg` as it is (trusted markup written by publication.charts)."""

    name: str
    svg: str
    caption: str
    kind: ClassVar[str] = "chart"


@dataclass(frozen=True)
class Banner:
    """A prominent warning at the top (synthetic data)."""

    text: str
    kind: ClassVar[str] = "banner"


@dataclass(frozen=True)
class Links:
    """Links to files next to the document: (file name, what it holds)."""

    items: Sequence[tuple[str, str]]
    kind: ClassVar[str] = "links"

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


Block = Heading | Paragraph | Bullets | Table | Chart | Banner | Links


@dataclass(frozen=True)
class Document:
    """`title` is the page's <title> and its level-1 heading; `blocks` follow it."""

    title: str
    blocks: Sequence[Block]

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]
