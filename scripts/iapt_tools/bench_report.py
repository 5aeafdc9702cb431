"""Render bench/results.json as the readable bench/RESULTS.md."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

TARGET_FULL_SECONDS = 600
TARGET_PEAK_MB = 12 * 1024
# "No worse than linear": seconds per million rows may not rise from one scale to the
# next by more than run-to-run noise.
LINEAR_TOLERANCE = 1.10


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def seconds_per_million_rows(scaling: list[dict]) -> list[float]:
    return [row["seconds"] / (row["data_rows"] / 1e6) for row in scaling]


def grows_at_most_linearly(scaling: list[dict]) -> bool:
    per_m = seconds_per_million_rows(scaling)
    return all(later <= earlier * LINEAR_TOLERANCE for earlier, later in pairwise(per_m))


def write_report(results: dict, path: Path) -> None:
    m = results["machine"]
    raw = results["raw"]
    gen = results["generator"]
    floor = results["raw_scan_floor"]["seconds"]
    stages = {s["name"]: s for s in results["stages"]}
    full = results["end_to_end_seconds"]
    peak = results["end_to_end_peak_rss_mb"]
    staging = stages["staging"]["seconds"]
    inc = results["incremental"]["seconds"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {m['cpus']} cores, {m['memory_gb']} GB, {m['platform']}, Python {m['python']}.",
        f"Generator: `{' '.join(results['generator']['args'])}` "
        f"({gen['seconds']:.0f} s, peak {gen['peak_rss_mb']:.0f} MB).",
        f"National year: {raw['files']:,} raw files, {raw['bytes'] / 2**20:,.0f} MiB, "
        f"{raw['data_rows']:,} data rows.",
        "",
        "| stage | wall time (s) | peak RSS (MB) |",
        "|---|---:|---:|",
        f"| raw scan floor (one DuckDB scan of every column) | {floor:.1f} | "
        f"{results['raw_scan_floor']['peak_rss_mb']:.0f} |",
    ]
    lines += [
        f"| {s['name']} | {s['seconds']:.1f} | {s['peak_rss_mb']:.0f} |" for s in results["stages"]
    ]
    lines += [
        f"| **end to end** | **{full:.1f}** | **{peak:.0f}** |",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| full build < 600 s | {full:.0f} s | {_mark(full < TARGET_FULL_SECONDS)} |",
        f"| peak memory < 12 GB | {peak / 1024:.1f} GB | {_mark(peak < TARGET_PEAK_MB)} |",
        f"| staging ≤ 3 × raw scan | {staging:.0f} s = {staging / floor:.1f} × {floor:.0f} s "
        f"| {_mark(staging <= 3 * floor)} |",
        f"| add one month < ¼ of the full build | {inc:.0f} s vs {full:.0f} s "
        f"({inc / full:.0%}) | {_mark(inc < full / 4)} |",
    ]
    if "scaling" in results:
        per_m = seconds_per_million_rows(results["scaling"])
        steps = " → ".join(f"{value:.1f}" for value in per_m)
        lines.append(
            f"| cost no worse than linear (s per M rows, 1/8 → 1/1) | {steps} "
            f"| {_mark(grows_at_most_linearly(results['scaling']))} |"
        )
    added = results["incremental"]
    lines += [
        "",
        f"## Adding one month ({added['month_added']})",
        "",
        "| step | wall time (s) | peak RSS (MB) |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {s['name']} | {s['seconds']:.1f} | {s['peak_rss_mb']:.0f} |" for s in added["stages"]
    ]
    lines.append(f"| **total** | **{inc:.1f}** | |")
    if "scaling" in results:
        header = "| scale | data rows | MiB | seconds | s per M rows | peak MB |"
        lines += ["", "## Scaling", "", header, "|---|---:|---:|---:|---:|---:|"]
        per_million = seconds_per_million_rows(results["scaling"])
        for row, per_m in zip(results["scaling"], per_million, strict=True):
            lines.append(
                f"| {row['scale']} | {row['data_rows']:,} | {row['bytes'] / 2**20:,.0f} | "
                f"{row['seconds']:.1f} | {per_m:.1f} | {row['peak_rss_mb']:.0f} |"
            )
    lines += ["", "## Row counts (national year)", "", "| relation | rows |", "|---|---:|"]
    lines += [f"| {t} | {n:,} |" for t, n in results["row_counts"].items()]
    path.write_text("\n".join(lines) + "\n")
