"""Disclosure control for published files (outputs.md section 4). The only place the
rules live: every published value goes through `disclose`.

- Counts below England level: 1-4 -> `*`; otherwise rounded to the nearest 5 (halves
  up). Zero stays 0. England counts are published unrounded. A negative count (only an
  invalid KPI-return figure can be one) is `*` below England too.
- Percentages are computed from the unrounded numerator and denominator; `*` when
  either is below 5 (England included); a whole number below England, 1 dp at England.
- Means and medians: `*` when the count behind them (the denominator) is below 5; 1 dp.
- Change-on-previous-period percentages (numerator = current - previous, denominator =
  previous): `*` when the previous or the current count is below 5.
A value that is unknown (null) and not suppressed is published empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SUPPRESSED = "*"
MIN_COUNT = 5
ROUNDING_BASE = 5
ENGLAND = "England"


class MeasureType(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True)
class MeasureValue:
    """One unrounded, unsuppressed value from marts.measures."""

    measure_type: MeasureType
    group_type: str
    measure_value: float | None
    numerator: float | None = None
    denominator: float | None = None
    is_change_on_previous: bool = False


def _dec(value: float) -> Decimal:
    """An exact decimal of a stored double (repr keeps 0.1 as 0.1, not 0.1000…01)."""
    return Decimal(repr(float(value)))


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _format(value: Decimal, places: int) -> str:
    rounded = _half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never publish "-0" or "-0.0"
    return f"{rounded:.{places}f}"


def round_to_base(count: Decimal | float | int, base: int = ROUNDING_BASE) -> int:
    """Nearest multiple of `base`, halves up (7 -> 5, 8 -> 10, 12.5 -> 15)."""
    value = count if isinstance(count, Decimal) else _dec(float(count))
    return int(_half_up(value / base, 0)) * base


def disclose_count(count: float | None, group_type: str) -> str:
    if count is None:
        return ""
    value = _dec(count)
    if group_type == ENGLAND:
        return _format(value, 0)
    if value == 0:
        return "0"
    if value < MIN_COUNT:  # 1-4; also a negative count (an invalid KPI return figure)
        return SUPPRESSED
    return str(round_to_base(value))


def disclose_percentage(
    numerator: float | None,
    denominator: float | None,
    group_type: str,
    measure_value: float | None = None,
) -> str:
    """100 x numerator / denominator from the unrounded counts."""
    if numerator is None or denominator is None:
        # No counts behind the value: nothing can be checked, so nothing is published
        # unless both are known. A null rate (e.g. no level of need) stays empty.
        return "" if measure_value is None else SUPPRESSED
    if numerator < MIN_COUNT or denominator < MIN_COUNT:
        return SUPPRESSED
    value = _dec(numerator) * 100 / _dec(denominator)
    return _format(value, 1 if group_type == ENGLAND else 0)


def disclose_change_on_previous(
    numerator: float | None,
    denominator: float | None,
    group_type: str,
    measure_value: float | None = None,
) -> str:
    """Percentage change: numerator = current - previous, denominator = previous."""
    if numerator is None or denominator is None:
        return "" if measure_value is None else SUPPRESSED
    previous = _dec(denominator)
    current = previous + _dec(numerator)
    if previous < MIN_COUNT or current < MIN_COUNT:
        return SUPPRESSED
    value = _dec(numerator) * 100 / previous
    return _format(value, 1 if group_type == ENGLAND else 0)


def disclose_average(measure_value: float | None, count: float | None) -> str:
    """Means and medians: 1 dp, `*` when the count behind them is below 5."""
    if count is None or count < MIN_COUNT:
        return SUPPRESSED if measure_value is not None or count is not None else ""
    if measure_value is None:
        return ""
    return _format(_dec(measure_value), 1)


def disclose(value: MeasureValue) -> str:
    """The published text of one value."""
    match value.measure_type:
        case MeasureType.COUNT:
            count = value.measure_value if value.measure_value is not None else value.numerator
            return disclose_count(count, value.group_type)
        case MeasureType.PERCENTAGE if value.is_change_on_previous:
            return disclose_change_on_previous(
                value.numerator, value.denominator, value.group_type, value.measure_value
            )
        case MeasureType.PERCENTAGE:
            return disclose_percentage(
                value.numerator, value.denominator, value.group_type, value.measure_value
            )
        case MeasureType.MEAN | MeasureType.MEDIAN:
            return disclose_average(value.measure_value, value.denominator)
    raise ValueError(f"unknown measure type {value.measure_type!r}")
