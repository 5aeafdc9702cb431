"""Write a versioned, disclosure-controlled publication of marts.measures.

    python scripts/publish.py [--as-at YYYY-MM] [--reason "why a new version"]
                              [--unless-published]

Writes $IAPT_OUTPUT_DIR/publications/<YYYY-MM>/v<N>/ (never overwrites; v2+ needs
--reason). Reads $IAPT_WAREHOUSE read-only.
"""

from __future__ import annotations

import argparse
import sys
import time

from iapt_tools.publication.release import publish
from iapt_tools.publication.versioning import PublicationError
from iapt_tools.settings import PROJECT_ROOT, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-at", help="YYYY-MM (default: the latest month in marts.measures)")
    parser.add_argument("--reason", help="why this version is issued (required for v2+)")
    parser.add_argument(
        "--unless-published",
        action="store_true",
        help="if the month already has a version and no --reason is given, write nothing "
        "and exit 0 (what `make run` does on a re-run)",
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    started = time.perf_counter()
    try:
        release = publish(
            settings.warehouse,
            settings.output_dir,
            args.as_at,
            args.reason,
            PROJECT_ROOT,
            unless_published=args.unless_published,
        )
    except (PublicationError, ValueError) as error:
        print(f"publish: error: {error}", file=sys.stderr)
        return 2
    if release is None:
        print(
            "publish: this month already has a release; nothing written. To re-issue it: "
            'make publish REASON="why it is re-issued"'
        )
        return 0
    revisions = "" if release.revisions is None else f", {release.revisions} revised values"
    print(
        f"publish: wrote {release.folder} (v{release.version}, {release.rows} rows{revisions}) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    from iapt_tools.warehouse_lock import exit_if_in_use

    exit_if_in_use(read_only=True)
    sys.exit(main())
