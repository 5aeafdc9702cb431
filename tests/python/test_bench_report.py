"""The benchmark's "no worse than linear" rule, on hand-made scaling rows."""

from iapt_tools.bench_report import grows_at_most_linearly


def _rows(pairs: list[tuple[int, float]]) -> list[dict]:
    return [{"data_rows": rows, "seconds": seconds} for rows, seconds in pairs]


def test_fixed_costs_make_small_runs_dearer_per_row() -> None:
    # 10, 7.5, 6.25 s per million rows
    assert grows_at_most_linearly(_rows([(1_000_000, 10), (2_000_000, 15), (4_000_000, 25)]))


def test_superlinear_growth_is_caught() -> None:
    # 10 -> 12.5 s per million rows: 25% dearer per row at twice the data
    assert not grows_at_most_linearly(_rows([(1_000_000, 10), (2_000_000, 25)]))


def test_noise_within_ten_percent_is_tolerated() -> None:
    # 10 -> 10.5 s per million rows
    assert grows_at_most_linearly(_rows([(1_000_000, 10), (2_000_000, 21)]))
