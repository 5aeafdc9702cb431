#!/usr/bin/env python3
"""Exit 1 with one line when IAPT_WAREHOUSE is locked by another process.

    scripts/check_warehouse.py [--read-only]

`make build` checks for write access, `make dq` and `make publish` for read access.
"""

from __future__ import annotations

import argparse
import sys

from iapt_tools.warehouse_lock import exit_if_in_use


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read-only", action="store_true", help="the caller only reads")
    args = parser.parse_args(argv)
    exit_if_in_use(read_only=args.read_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
