"""Run the Great Expectations suites against the built warehouse (after `dbt build`).

    scripts/run_data_quality.py [--checkpoint] [--out DIR]

Opens IAPT_WAREHOUSE read-only, validates aggregated frames offline (no analytics, no
Data Docs), and writes counts-only results to IAPT_OUTPUT_DIR/data_quality/. With
--checkpoint (make test) it exits 1 when anything *unexpected* happened: an expectation
raised an exception, a table is missing, a file does not reconcile, the warehouse and
the suites disagree, or a critical expectation (one staging should make impossible)
failed. Validity findings in the input (invalid codes, out-of-period dates, scores out
of range) are reported but never fail the checkpoint: see docs/data-quality.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")

from iapt_tools.data_quality.runner import run_data_quality, write_results
from iapt_tools.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="exit non-zero on exceptions and other unexpected failures",
    )
    parser.add_argument("--out", type=Path, default=None, help="results directory")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    report = run_data_quality(settings.warehouse)
    out_dir = args.out or settings.output_dir / "data_quality"
    paths = write_results(report, out_dir)
    failed = sum(not o.success for o in report.outcomes)
    print(
        f"data quality: {len(report.outcomes)} expectations, {failed} failed,"
        f" {report.exceptions} raised exceptions, {len(report.critical)} critical problems"
        f" ({report.seconds} s, peak RSS {report.peak_rss_mb} MB, {report.frame_rows}"
        f" frame rows)"
    )
    for problem in report.problems:
        print(f"  [{problem['severity']}] {problem['kind']}: {problem['message']}")
    for path in paths:
        print(f"wrote {path}")
    if args.checkpoint and report.critical:
        print("data quality checkpoint FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    from iapt_tools.warehouse_lock import exit_if_in_use

    exit_if_in_use(read_only=True)
    sys.exit(main())
