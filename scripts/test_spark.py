#!/usr/bin/env python3
"""The same project on DuckDB and on Spark must give the same warehouse (`make test-spark`).

    scripts/test_spark.py [--work target/test-spark] [--no-data-tests]

On one small generated set, in two rounds, as a warehouse grows (docs/spark.md):

  a. its first months: a full build on DuckDB and on Spark, then every table compared
     (scripts/compare_engines.py);
  b. the next month arrives, with the Refreshes of the month before: an incremental
     build on both, which must read only the new folders (the same count on both), and
     the tables compared again;

then the data-quality checkpoint and the publication on both warehouses, and the two
publications compared file by file. The builds run through `make build` with
IAPT_ENGINE set, as a user runs them. The full builds run everything: seeds, models,
unit tests (which check the spark__ macros) and data tests (the invariants, in each
engine's SQL); the incremental builds run seeds and models (about a second a node on
Spark), and their tables are compared row for row. --no-data-tests leaves the data
tests out of the full builds too (a quicker local run).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GENERATOR_ARGS = [
    "--start", "2013-01", "--months", "5", "--referrals", "1500", "--providers", "3",
    "--seed", "7", "--refresh-rate", "0.3", "--fault-rate", "0.01", "--kpi-returns",
]  # fmt: skip
LAST_MONTH = "2013-05"  # held back for round b, with the Refreshes of the month before
MONTH_BEFORE = "2013-04"
VENVS = {"duckdb": ".venv", "spark": ".venv-spark"}
STARTED = time.perf_counter()
READING = re.compile(r"(raw_\w+): reading (\d+) \w+ file")
REFERRALS = "raw_iapt_v2__referrals"


class Failed(Exception):
    pass


class Checks:
    """The checks passed so far, for the closing line."""

    passed = 0

    @classmethod
    def ok(cls, message: str) -> None:
        cls.passed += 1
        say(f"ok: {message}")


def say(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", flush=True)


def run(name: str, command: list[str], env: dict[str, str], log_dir: Path) -> str:
    """Run one step, its output to log_dir/<name>.log; on failure show its end."""
    started = time.perf_counter()
    log = log_dir / f"{name}.log"
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, check=False,
    )  # fmt: skip
    log.write_text(done.stdout)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-6000:], file=sys.stderr)
        raise Failed(f"{name} failed (exit {done.returncode}, {seconds:.1f} s): see {log}")
    say(f"{name}: done in {seconds:.1f} s")
    return done.stdout


class Engine:
    def __init__(self, name: str, work: Path, raw: Path) -> None:
        self.name = name
        self.root = work / name
        self.root.mkdir(parents=True)
        self.python = str(PROJECT_ROOT / VENVS[name] / "bin" / "python")
        self.env = {
            **os.environ,
            "IAPT_ENGINE": name,
            "IAPT_RAW_DIR": str(raw),
            "IAPT_OUTPUT_DIR": str(self.root / "output"),
            "IAPT_DBT_THREADS": "2",
            "IAPT_WAREHOUSE": str(self.root / "warehouse.duckdb"),
            "IAPT_DUCKDB_TEMP_DIR": str(self.root / "duckdb_tmp"),
            "IAPT_SPARK_WAREHOUSE": str(self.root / "warehouse"),
            "IAPT_SPARK_METASTORE": str(self.root / "metastore"),
            "IAPT_SPARK_SCAN_DIR": str(self.root / "raw_scan"),
        }

    @property
    def warehouse(self) -> Path:
        return Path(self.env["IAPT_WAREHOUSE" if self.name == "duckdb" else "IAPT_SPARK_WAREHOUSE"])

    def build(self, step: str, resource_types: list[str], log_dir: Path) -> dict[str, int]:
        """`make build` on this engine; returns how many files each raw_ model read."""
        dbt_args = [
            "--target-path", str(self.root / "dbt-target"), "--log-path", str(self.root / "logs"),
            *(arg for kind in resource_types for arg in ("--resource-type", kind)),
        ]  # fmt: skip
        command = ["make", "-s", "-o", ".venv/.installed", "-o", ".venv-spark/.installed",
                   "build", f"DBT_ARGS={' '.join(dbt_args)}"]  # fmt: skip
        output = run(f"{step}-build-{self.name}", command, self.env, log_dir)
        return {model: int(n) for model, n in READING.findall(output)}

    def script(self, step: str, *args: str, log_dir: Path) -> str:
        return run(f"{step}-{self.name}", [self.python, *args], self.env, log_dir)


def hold_back(raw: Path, held: Path) -> int:
    """Move the last month and the month before's Refreshes out of raw; returns folders."""
    moved = 0
    for month, kind in ((LAST_MONTH, ""), (MONTH_BEFORE, "_Refresh_")):
        for folder in sorted((raw / "iapt_v2" / month).iterdir()):
            if kind in folder.name:
                target = held / month / folder.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(folder, target)
                moved += 1
    return moved


def arrive(raw: Path, held: Path) -> int:
    moved = 0
    for folder in sorted(held.glob("*/*")):
        target = raw / "iapt_v2" / folder.parent.name / folder.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder, target)
        moved += 1
    return moved


def compare(step: str, engines: dict[str, Engine], log_dir: Path) -> None:
    command = [
        engines["duckdb"].python, "scripts/compare_engines.py",
        "--duckdb", str(engines["duckdb"].warehouse), "--spark", str(engines["spark"].warehouse),
    ]  # fmt: skip
    output = run(f"{step}-compare", command, engines["duckdb"].env, log_dir)
    Checks.ok(output.strip().splitlines()[-1])


def check_reads(step: str, reads: dict[str, dict[str, int]], expected: int) -> None:
    """Both engines' raw_ models read the same files, and the referral files of the
    expected number of submission folders (all at first, then only the new ones)."""
    if reads["duckdb"] != reads["spark"]:
        raise Failed(f"{step}: the engines read different files: {reads}")
    if reads["spark"].get(REFERRALS) != expected:
        raise Failed(f"{step}: {REFERRALS} read {reads['spark']}, expected {expected} files")
    Checks.ok(f"{step}: both engines read the same raw files ({expected} referral files)")


# What a release records of the build and the run, which differs by engine by design
# (as compare_engines.NOT_COMPARED for marts.dim_build).
BUILD_KEYS = {"built_at", "invocation_id", "target_name", "engine"}
RUN_AT = re.compile(r"Run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# The statement names the build it describes (marts.dim_build: time and invocation), which
# differs by engine as built_at and invocation_id do.
BUILT = re.compile(r"built \d{4}-\d\d-\d\d \d\d:\d\d UTC \(dbt invocation [0-9a-f-]+\)")


def _without_build(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_build(v) for k, v in value.items() if k not in BUILD_KEYS}
    if isinstance(value, list):
        return [_without_build(v) for v in value]
    return value


def _content(path: Path) -> object:
    """A release file's content less what differs by engine or run by design: the
    workbook's creation time, the build's time, id and engine in metadata.json, and the
    times of the data-quality run and the build the statement names."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}
    if path.suffix == ".json":
        return _without_build(json.loads(path.read_text(encoding="utf-8")))
    if path.suffix in (".md", ".html"):
        text = RUN_AT.sub("Run at (time)", path.read_text(encoding="utf-8"))
        return BUILT.sub("built (build)", text)
    return path.read_bytes()


def compare_publications(left: Path, right: Path) -> None:
    """Every file of the two releases the same, but manifest.json (when, from where)."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    different = [
        str(name)
        for name in sorted(names)
        if name.name != "manifest.json"
        and not (
            (left / name).is_file()
            and (right / name).is_file()
            and (filecmp.cmp(left / name, right / name, shallow=False)
                 or _content(left / name) == _content(right / name))
        )
    ]  # fmt: skip
    if different:
        raise Failed(f"the publications differ: {', '.join(different)} ({left} vs {right})")
    Checks.ok(f"publication: {len(names) - 1} files the same on both engines ({right})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "target" / "test-spark")
    parser.add_argument(
        "--no-data-tests", action="store_true", help="leave dbt's data tests out (quicker)"
    )
    args = parser.parse_args(argv)
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True)
    raw, held = work / "raw", work / "held"
    say(f"test-spark in {work}: generate_data.py {' '.join(GENERATOR_ARGS)}")
    engines = {name: Engine(name, work, raw) for name in VENVS}
    try:
        engines["duckdb"].script("generate", "scripts/generate_data.py", "--out", str(raw),
                                 *GENERATOR_ARGS, log_dir=logs)  # fmt: skip
        later = hold_back(raw, held)
        say(f"round a: {LAST_MONTH} and the {MONTH_BEFORE} Refreshes held back ({later} folders)")
        types = ["seed", "model", "unit_test", *([] if args.no_data_tests else ["test"])]
        reads = {n: e.build("a", types, logs) for n, e in engines.items()}
        check_reads("round a", reads, len(list(raw.glob("iapt_v2/*/*/IDS101_Referral.csv"))))
        compare("a", engines, logs)

        arrived = arrive(raw, held)
        say(f"round b: {arrived} folders arrive; incremental builds")
        reads = {n: e.build("b", ["seed", "model"], logs) for n, e in engines.items()}
        check_reads("round b", reads, arrived)
        compare("b", engines, logs)

        for name, engine in engines.items():
            engine.script("dq", "scripts/run_data_quality.py", "--checkpoint", log_dir=logs)
            Checks.ok(f"data-quality checkpoint on {name}")
            engine.script("publish", "scripts/publish.py", log_dir=logs)
        say(engines["spark"].script("where", "scripts/where.py", log_dir=logs).strip())
        folders = {
            n: e.root / "output" / "publications" / LAST_MONTH / "v1" for n, e in engines.items()
        }
        compare_publications(folders["duckdb"], folders["spark"])
    except Failed as failure:
        say(f"test-spark FAILED: {failure}")
        print(f"test-spark: {Checks.passed} passed, 1 failed")
        return 1
    say("test-spark passed")
    print(f"test-spark: {Checks.passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
