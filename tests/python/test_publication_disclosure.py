"""Disclosure rules (outputs.md section 4, docs/publication.md "Disclosure details") on
hand-worked values. Every value goes through the SQL that the release runs in DuckDB
(`disclosure.published_value_sql`), evaluated on an in-memory DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from iapt_tools.publication.disclosure import (
    MeasureType,
    MeasureValue,
    disclose,
    published_value_sql,
    round_to_base,
)

SUB_NATIONAL = ("Region", "Commissioner", "Provider", "Commissioner/Provider")


def count(value: float | None, group: str) -> str:
    return disclose([MeasureValue(MeasureType.COUNT, group, value, value)])[0]


def percentage(num: float | None, den: float | None, group: str, value: float | None) -> str:
    return disclose([MeasureValue(MeasureType.PERCENTAGE, group, value, num, den)])[0]


def change(diff: float | None, previous: float | None, group: str, value: float | None) -> str:
    return disclose([MeasureValue(MeasureType.PERCENTAGE, group, value, diff, previous, True)])[0]


def average(value: float | None, n: float | None, kind: MeasureType = MeasureType.MEAN) -> str:
    return disclose([MeasureValue(kind, "Provider", value, None, n)])[0]


@pytest.mark.parametrize(
    ("value", "published"),
    [(0, "0"), (1, "*"), (2, "*"), (4, "*"), (5, "5"), (7, "5"), (8, "10"), (12, "10"),
     (13, "15"), (22, "20"), (23, "25"), (1234, "1235"), (1232, "1230"), (None, ""),
     (-35, "*"), (-2, "*")],
)  # fmt: skip
def test_sub_national_counts(value, published):
    for group in SUB_NATIONAL:
        assert count(value, group) == published


@pytest.mark.parametrize(
    ("value", "published"),
    [(0, "0"), (2, "2"), (7, "7"), (12345, "12345"), (-35, "-35"), (None, "")],
)
def test_england_counts_unrounded(value, published):
    # A negative KPI-return count is published as it is at England (not a person count
    # that could identify anyone, and suppressing it would hide the data error).
    assert count(value, "England") == published


def test_count_without_measure_value_uses_the_numerator():
    value = MeasureValue(MeasureType.COUNT, "Provider", None, 8.0)
    assert disclose([value]) == ["10"]


def test_rounding_halves_up():
    # Halves only arise for non-integers: 12.5 is half-way between 10 and 15.
    assert round_to_base(12.5) == 15
    assert round_to_base(2.5) == 5
    assert round_to_base(12.4) == 10
    assert round_to_base(7.5) == 10
    assert round_to_base(7) == 5
    assert round_to_base(0) == 0
    assert round_to_base(-7.5) == -10  # half away from zero
    assert count(12.5, "Provider") == "15"
    assert count(17.5, "Commissioner") == "20"


@pytest.mark.parametrize(
    ("num", "den", "group", "published"),
    [
        (1, 8, "Provider", "*"),  # numerator below 5
        (4, 100, "England", "*"),  # England included
        (5, 4, "Provider", "*"),  # denominator below 5
        (0, 10, "Region", "*"),  # 0 is below 5
        (0, 20, "England", "*"),  # a 0% rate of 0 of 20: the rule as written
        (5, 0, "England", "*"),  # undefined rate, denominator below 5
        (5, 40, "Provider", "13"),  # 12.5 -> 13 (halves up), from unrounded counts
        (5, 40, "England", "12.5"),
        (29, 200, "Commissioner", "15"),  # 14.5 -> 15
        (7, 9, "England", "77.8"),  # 77.777... -> 77.8
        (2, 3 * 2, "England", "*"),
        (1, 3 * 2 + 200, "Provider", "*"),
        (10, 30, "England", "33.3"),
        (20, 30, "Provider", "67"),
        (37, 74, "Provider", "50"),
        (5, 5, "England", "100.0"),
        (1000, 8000, "England", "12.5"),
        (21, 1600, "England", "1.3"),  # 1.3125 -> 1.3
        (1, 800, "England", "*"),
        (5, 8000, "England", "0.1"),  # 0.0625 -> 0.1
        (5, 12000, "England", "0.0"),  # 0.041666... -> 0.0
        (7, 2000, "Provider", "0"),  # 0.35 -> 0
    ],
)
def test_percentages(num, den, group, published):
    assert percentage(num, den, group, 0.0) == published


def test_percentage_uses_unrounded_counts_not_rounded_ones():
    # Unrounded 7/13 = 53.8% -> 54; from rounded counts (5/15) it would be 33.
    assert percentage(7, 13, "Provider", 53.8) == "54"


def test_percentage_from_decimal_counts_is_exact():
    # A level of need with decimals: 150 / 1200.0 = 12.5% exactly -> 13 (half up), which
    # binary floating point could round either way; 0.1 + 0.2 style errors do not arise.
    assert percentage(150, 1200.0, "Provider", 12.5) == "13"
    assert percentage(12.25, 98, "England", 12.5) == "12.5"
    assert percentage(5.5, 44, "England", 12.5) == "12.5"


def test_percentage_without_counts():
    assert percentage(None, None, "Provider", None) == ""  # e.g. K101 without need: empty
    assert percentage(None, 10, "England", 12.0) == "*"  # a value that cannot be checked
    assert percentage(10, None, "Provider", 12.0) == "*"


@pytest.mark.parametrize(
    ("diff", "previous", "group", "published"),
    [
        (-3, 10, "England", "-30.0"),  # 10 -> 7
        (-6, 10, "England", "*"),  # 10 -> 4: current below 5
        (10, 4, "England", "*"),  # previous below 5
        (3, 40, "Provider", "8"),  # 7.5 -> 8
        (-3, 40, "Provider", "-8"),  # -7.5 -> -8 (half away from zero)
        (0, 20, "Region", "0"),
        (-1, 400, "England", "-0.3"),  # -0.25 -> -0.3 (away from zero)
        (-1, 4000, "England", "0.0"),  # -0.025 -> 0.0, never "-0.0"
        (-1, 400, "Provider", "0"),  # -0.25 -> 0, never "-0"
        (-5, 10, "Commissioner", "-50"),  # 10 -> 5: current exactly 5 is published
        (-95, 100, "England", "-95.0"),  # 100 -> 5: a current count of 5 is published
    ],
)
def test_change_on_previous(diff, previous, group, published):
    assert change(diff, previous, group, 1.0) == published


def test_change_on_previous_current_below_five_is_suppressed():
    # previous 100, current 4: a plain percentage rule would look at the numerator
    # (-96) only; this rule protects the current count.
    assert change(-96, 100, "England", -96.0) == "*"
    assert change(None, None, "England", None) == ""
    assert change(None, 10, "England", 5.0) == "*"


@pytest.mark.parametrize(
    ("value", "n", "published"),
    [(12.25, 5, "12.3"), (12.24, 50, "12.2"), (30.0, 4, "*"), (None, 0, "*"), (7.05, 5, "7.1"),
     (None, None, ""), (30.0, None, "*"), (None, 10, ""), (0.05, 20, "0.1"), (0.04, 20, "0.0"),
     (45.0, 0, "*"), (12.0, 5, "12.0")],
)  # fmt: skip
def test_means(value, n, published):
    assert average(value, n) == published


@pytest.mark.parametrize(
    ("value", "n", "published"),
    # whole days, halves up: a median of an even count can end in .5
    [(12.5, 5, "13"), (12.49, 50, "12"), (30.0, 4, "*"), (None, 0, "*"), (7.5, 6, "8"),
     (None, None, ""), (30.0, None, "*"), (None, 10, ""), (0.5, 20, "1"), (0.4, 20, "0"),
     (45.0, 0, "*"), (12.0, 5, "12"), (14.5, 9, "15")],
)  # fmt: skip
def test_medians_in_whole_days(value, n, published):
    assert average(value, n, MeasureType.MEDIAN) == published


def test_means_and_medians_at_england_use_the_same_suppression_rule():
    value = MeasureValue(MeasureType.MEDIAN, "England", 40.5, None, 4)
    assert disclose([value]) == ["*"]
    value = MeasureValue(MeasureType.MEDIAN, "England", 40.5, None, 5)
    assert disclose([value]) == ["41"]
    value = MeasureValue(MeasureType.MEAN, "England", 40.25, 402.5, 10)
    assert disclose([value]) == ["40.3"]


def test_disclose_dispatches_on_measure_type():
    values = [
        MeasureValue(MeasureType.COUNT, "Provider", 8.0, 8.0),
        MeasureValue(MeasureType.COUNT, "England", 8.0, 8.0),
        MeasureValue(MeasureType.PERCENTAGE, "Provider", 12.5, 5, 40),
        MeasureValue(MeasureType.MEAN, "Provider", 40.26, 402.6, 10),
        MeasureValue(MeasureType.MEDIAN, "England", 40.5, None, 4),
        MeasureValue(MeasureType.PERCENTAGE, "England", -30.0, -3, 10, True),
    ]
    assert disclose(values) == ["10", "8", "13", "40.3", "*", "-30.0"]


def test_unknown_measure_type_is_an_error():
    con = duckdb.connect()
    sql = (
        f"select {published_value_sql()} from (select 'ratio' as measure_type, 'England' as"
        " group_type, 1.0 as measure_value, 1.0 as numerator, 1.0 as denominator,"
        " false as is_change_on_previous)"
    )
    with pytest.raises(duckdb.Error, match="unknown measure type ratio"):
        con.execute(sql).fetchall()
    con.close()
