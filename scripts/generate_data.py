#!/usr/bin/env python3
"""Generate synthetic IAPT raw data: record-level submissions and quarterly KPI returns.

See docs/synthetic-data.md. Example:
    scripts/generate_data.py --out target/raw --start 2012-10 --months 15 --referrals 4000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from iapt_tools.generator.config import GeneratorConfig, parse_month
from iapt_tools.generator.run import generate
from iapt_tools.settings import Settings


def _month(text: str) -> str:
    try:
        parse_month(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from exc
    return text


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a rate between 0 and 1, got {text}")
    return value


def parse_args(argv: list[str] | None = None) -> GeneratorConfig:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", type=Path, help="output root (default: $IAPT_RAW_DIR)")
    p.add_argument("--start", type=_month, default="2012-10", help="first month, YYYY-MM")
    p.add_argument("--months", type=int, default=15, help="number of reporting months")
    p.add_argument("--referrals", type=int, default=4000, help="referrals over the whole span")
    p.add_argument("--providers", type=int, default=6, help="number of providers")
    p.add_argument("--seed", type=int, default=7, help="random seed")
    p.add_argument("--refresh-rate", type=_rate, default=0.3, help="share of months refreshed")
    p.add_argument("--fault-rate", type=_rate, default=0.0, help="share of rows with faults")
    p.add_argument("--kpi-returns", action="store_true", help="also write Part B KPI returns")
    p.add_argument("--force", action="store_true", help="replace a non-empty output folder")
    a = p.parse_args(argv)
    if a.months < 1 or a.referrals < 1 or a.providers < 1:
        p.error("--months, --referrals and --providers must be positive")
    out = a.out if a.out is not None else Settings.from_env().raw_dir
    return GeneratorConfig(
        out=out,
        start=a.start,
        months=a.months,
        referrals=a.referrals,
        providers=a.providers,
        seed=a.seed,
        refresh_rate=a.refresh_rate,
        fault_rate=a.fault_rate,
        kpi_returns=a.kpi_returns,
        force=a.force,
    )


def main(argv: list[str] | None = None) -> int:
    generate(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
