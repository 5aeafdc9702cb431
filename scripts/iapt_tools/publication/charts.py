"""Charts for the executive summary, drawn with matplotlib as self-contained SVG
(text as paths: no fonts, scripts or links). They plot published values only."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

Z95 = 1.959964
Z998 = 3.090232
COLOURS = {
    "blue": "#005eb8",
    "dark": "#003087",
    "green": "#009639",
    "grey": "#768692",
    "red": "#da291c",
    "orange": "#ed8b00",
}


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    denominator: int
    rate: float  # percent


def funnel_limits(p: float, n: float, z: float) -> tuple[float, float]:
    """Binomial (normal approximation) limits around proportion p for denominator n."""
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _svg(fig: plt.Figure, salt: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata=_METADATA, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _style(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#d8dde0", linewidth=0.8)
    ax.set_axisbelow(True)


_THOUSANDS = FuncFormatter(lambda value, _: f"{value:,.0f}")


def _count_axis(ax: plt.Axes) -> None:
    """Counts start at zero (a truncated axis exaggerates change) with thousands
    separators."""
    ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1))
    ax.yaxis.set_major_formatter(_THOUSANDS)


def _source_line(fig: plt.Figure, source: str) -> None:
    fig.text(0.01, 0.005, source, fontsize=7.5, color="#4c6272", ha="left", va="bottom")


def trend_chart(
    labels: Sequence[str],
    referrals: Sequence[float | None],
    entered: Sequence[float | None],
    recovery: Sequence[float | None],
    source: str,
    target: float = 50.0,
) -> str:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6.4), sharex=True)
    x = range(len(labels))
    top.plot(x, _nan(referrals), marker="o", color=COLOURS["blue"], label="Referrals received")
    top.plot(x, _nan(entered), marker="s", color=COLOURS["green"], label="Entered treatment")
    top.set_ylabel("People")
    top.set_title("Referrals and people entering treatment, England")
    top.legend(frameon=False)
    _style(top)
    _count_axis(top)
    bottom.plot(x, _nan(recovery), marker="o", color=COLOURS["dark"], label="Recovery rate")
    bottom.axhline(target, color=COLOURS["red"], linestyle="--", label=f"Target {target:g}%")
    bottom.set_ylabel("Percent")
    bottom.set_ylim(0, 100)
    bottom.set_title("Recovery rate, England")
    bottom.legend(frameon=False)
    bottom.set_xticks(list(x), labels, rotation=45, ha="right")
    _style(bottom)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    _source_line(fig, source)
    return _svg(fig, "trend")


def waiting_chart(
    labels: Sequence[str],
    six_weeks: Sequence[float | None],
    eighteen_weeks: Sequence[float | None],
    source: str,
) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = range(len(labels))
    ax.plot(x, _nan(six_weeks), marker="o", color=COLOURS["blue"], label="Within 6 weeks")
    ax.plot(x, _nan(eighteen_weeks), marker="s", color=COLOURS["green"], label="Within 18 weeks")
    ax.axhline(75, color=COLOURS["blue"], linestyle="--", linewidth=1, label="Standard 75%")
    ax.axhline(95, color=COLOURS["green"], linestyle="--", linewidth=1, label="Standard 95%")
    ax.set_ylim(0, 100)
    ax.set_ylabel("Percent of finished courses")
    ax.set_title("Waiting-time standards, England")
    ax.set_xticks(list(x), labels, rotation=45, ha="right")
    ax.legend(frameon=False, loc="lower right", ncols=2)
    _style(ax)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _source_line(fig, source)
    return _svg(fig, "waiting")


def funnel_chart(
    points: Sequence[FunnelPoint], england_rate: float, title: str, source: str
) -> str:
    fig, ax = plt.subplots(figsize=(8, 5.4))
    p = england_rate / 100
    n_max = max([p_.denominator for p_ in points] + [20]) * 1.1
    ns = [5 + (n_max - 5) * i / 300 for i in range(301)]
    for z, style, name in ((Z95, "--", "95% limits"), (Z998, ":", "99.8% limits")):
        lows, highs = zip(*(funnel_limits(p, n, z) for n in ns), strict=True)
        ax.plot(ns, [100 * v for v in lows], color=COLOURS["grey"], linestyle=style, label=name)
        ax.plot(ns, [100 * v for v in highs], color=COLOURS["grey"], linestyle=style)
    ax.axhline(england_rate, color=COLOURS["dark"], linewidth=1.2, label="England")
    colours = [_funnel_colour(p, q) for q in points]
    ax.scatter(
        [q.denominator for q in points],
        [q.rate for q in points],
        c=colours,
        zorder=3,
        label="Providers (red: outside 99.8%, orange: outside 95%)",
    )
    ax.set_xlabel("Finished courses at caseness (rounded to the nearest 5)")
    ax.set_ylabel("Recovery rate (percent)")
    ax.set_ylim(0, 100)
    ax.set_xlim(0, n_max)
    ax.xaxis.set_major_formatter(_THOUSANDS)
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)
    _style(ax)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    _source_line(fig, source)
    return _svg(fig, "funnel")


def _funnel_colour(p: float, point: FunnelPoint) -> str:
    for z, colour in ((Z998, COLOURS["red"]), (Z95, COLOURS["orange"])):
        low, high = funnel_limits(p, point.denominator, z)
        if not 100 * low <= point.rate <= 100 * high:
            return colour
    return COLOURS["blue"]


def kpi_trend_chart(
    labels: Sequence[str],
    referrals: Sequence[float | None],
    entered: Sequence[float | None],
    source: str,
) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = range(len(labels))
    ax.plot(x, _nan(referrals), marker="o", color=COLOURS["blue"], label="Referrals received")
    ax.plot(x, _nan(entered), marker="s", color=COLOURS["green"], label="Entered treatment")
    ax.set_ylabel("People")
    ax.set_title("Quarterly KPI returns, England")
    ax.set_xticks(list(x), labels, rotation=45, ha="right")
    ax.legend(frameon=False)
    _style(ax)
    _count_axis(ax)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _source_line(fig, source)
    return _svg(fig, "kpi")


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]
