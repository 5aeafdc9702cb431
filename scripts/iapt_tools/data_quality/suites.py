"""Build the expectation suites (JSON in expectations/) from the check table and the seeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iapt_tools.data_quality.checks import SUITES, Check, all_checks
from iapt_tools.data_quality.code_lists import CodeLists, load_code_lists
from iapt_tools.settings import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SUITE_VERSION = "1.0.0"


def suite_dicts(cl: CodeLists) -> dict[str, dict[str, Any]]:
    """One GX-1.x-style suite dictionary per raw table, keyed by suite name."""
    checks = all_checks(cl)
    suites: dict[str, dict[str, Any]] = {}
    for suite, (source_table, relation) in SUITES.items():
        expectations = []
        for check in (c for c in checks if c.suite == suite):
            for expectation_type, kwargs in check.expectations:
                expectations.append(
                    {
                        "type": expectation_type,
                        "kwargs": kwargs,
                        "meta": {
                            "check_id": check.check_id,
                            "data_item": check.data_item,
                            "check_type": check.check_type,
                            "severity": check.severity,
                            "description": check.description,
                            **check.meta,
                        },
                    }
                )
        suites[suite] = {
            "name": suite,
            "expectations": expectations,
            "meta": {
                "suite_version": SUITE_VERSION,
                "source_table": source_table,
                "validated_relation": relation,
                "generated_by": "scripts/build_expectation_suites.py",
                "code_list_sources": cl.sources,
                "note": "Generated from the seeds: do not edit by hand.",
            },
        }
    return suites


def render(suite: dict[str, Any]) -> str:
    return json.dumps(suite, indent=2, sort_keys=False) + "\n"


def write_suites(out_dir: Path = EXPECTATIONS_DIR, seeds_dir: Path | None = None) -> list[Path]:
    cl = load_code_lists(seeds_dir) if seeds_dir else load_code_lists()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, suite in suite_dicts(cl).items():
        path = out_dir / f"{name}.json"
        path.write_text(render(suite), encoding="utf-8")
        paths.append(path)
    return paths


def load_suites(directory: Path = EXPECTATIONS_DIR) -> dict[str, dict[str, Any]]:
    """The committed suites, keyed by suite name (every suite of SUITES must exist)."""
    suites = {}
    for name in SUITES:
        path = directory / f"{name}.json"
        suites[name] = json.loads(path.read_text(encoding="utf-8"))
    return suites


def checks_by_id(cl: CodeLists) -> dict[str, Check]:
    return {c.check_id: c for c in all_checks(cl)}
