"""Disclosure rules (outputs.md section 4) on hand-worked values."""

from __future__ import annotations

import pytest

from iapt_tools.publication.disclosure import (
    MeasureType,
    MeasureValue,
    disclose,
    disclose_average,
    disclose_change_on_previous,
    disclose_count,
    disclose_percentage,
    round_to_base,
)


@pytest.mark.parametrize(
    ("count", "published"),
    [(0, "0"), (1, "*"), (2, "*"), (4, "*"), (5, "5"), (7, "5"), (8, "10"), (12, "10"),
     (13, "15"), (22, "20"), (23, "25"), (1234, "1235"), (1232, "1230"), (None, ""),
     (-35, "*"), (-2, "*")],
)  # fmt: skip
def test_sub_national_counts(count, published):
    for group in ("Region", "Commissioner", "Provider", "Commissioner/Provider"):
        assert disclose_count(count, group) == published


@pytest.mark.parametrize(("count", "published"), [(0, "0"), (2, "2"), (7, "7"), (12345, "12345")])
def test_england_counts_unrounded(count, published):
    assert disclose_count(count, "England") == published


def test_rounding_halves_up():
    # Halves only arise for non-integers: 12.5 is half-way between 10 and 15.
    assert round_to_base(12.5) == 15
    assert round_to_base(2.5) == 5
    assert round_to_base(12.4) == 10
    assert round_to_base(7.5) == 10


@pytest.mark.parametrize(
    ("num", "den", "group", "published"),
    [
        (1, 8, "Provider", "*"),  # numerator below 5
        (4, 100, "England", "*"),  # England included
        (5, 4, "Provider", "*"),  # denominator below 5
        (0, 10, "Region", "*"),  # 0 is below 5
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
    ],
)
def test_percentages(num, den, group, published):
    assert disclose_percentage(num, den, group, 0.0) == published


def test_percentage_uses_unrounded_counts_not_rounded_ones():
    # Unrounded 7/13 = 53.8% -> 54; from rounded counts (5/15) it would be 33.
    assert disclose_percentage(7, 13, "Provider", 53.8) == "54"


def test_percentage_without_counts():
    assert disclose_percentage(None, None, "Provider", None) == ""
    assert disclose_percentage(None, 10, "England", 12.0) == "*"


@pytest.mark.parametrize(
    ("diff", "previous", "group", "published"),
    [
        (-3, 10, "England", "-30.0"),  # 10 -> 7
        (-6, 10, "England", "*"),  # 10 -> 4: current below 5
        (10, 4, "England", "*"),  # previous below 5
        (3, 40, "Provider", "8"),  # 7.5 -> 8
        (-3, 40, "Provider", "-8"),  # -7.5 -> -8 (half away from zero)
        (0, 20, "Region", "0"),
    ],
)
def test_change_on_previous(diff, previous, group, published):
    assert disclose_change_on_previous(diff, previous, group, 1.0) == published


@pytest.mark.parametrize(
    ("value", "count", "published"),
    [(12.25, 5, "12.3"), (12.24, 50, "12.2"), (30.0, 4, "*"), (None, 0, "*"), (7.05, 5, "7.1"),
     (None, None, "")],
)  # fmt: skip
def test_means_and_medians(value, count, published):
    assert disclose_average(value, count) == published


def test_disclose_dispatches_on_measure_type():
    assert disclose(MeasureValue(MeasureType.COUNT, "Provider", 8.0, 8.0)) == "10"
    assert disclose(MeasureValue(MeasureType.COUNT, "England", 8.0, 8.0)) == "8"
    assert disclose(MeasureValue(MeasureType.PERCENTAGE, "Provider", 12.5, 5, 40)) == "13"
    assert disclose(MeasureValue(MeasureType.MEAN, "Provider", 40.26, 402.6, 10)) == "40.3"
    assert disclose(MeasureValue(MeasureType.MEDIAN, "England", 40.5, None, 4)) == "*"
    change = MeasureValue(MeasureType.PERCENTAGE, "England", -30.0, -3, 10, True)
    assert disclose(change) == "-30.0"
