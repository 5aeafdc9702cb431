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


def test_the_stages_cover_every_model_folder() -> None:
    # A model folder no stage selects makes a later stage fail on a missing table (the
    # organisations folder once did).
    from iapt_tools.bench_stages import STAGES
    from iapt_tools.settings import PROJECT_ROOT

    selected = {
        part.removeprefix("path:")
        for stage in STAGES
        for part in (stage.dbt_select or "").split()
        if part.startswith("path:")
    }
    folders = {
        str(path.parent.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "models").rglob("*")
        if path.suffix in (".sql", ".py")
    }
    uncovered = {f for f in folders if not any(f == s or f.startswith(s + "/") for s in selected)}
    assert uncovered == set()
