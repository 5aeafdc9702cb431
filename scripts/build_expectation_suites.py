"""Write the Great Expectations suites in expectations/ from the seeded code lists.

The seeds (seeds/code_lists/*.csv, seeds/organisations/*.csv) are the one source of truth;
tests/python/test_data_quality_suites.py fails when the committed JSON is out of date.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iapt_tools.data_quality.suites import EXPECTATIONS_DIR, write_suites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=EXPECTATIONS_DIR)
    parser.add_argument("--seeds", type=Path, default=None, help="seeds/ directory")
    args = parser.parse_args()
    for path in write_suites(args.out, args.seeds):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
