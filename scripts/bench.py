"""National-scale benchmark: `make bench` -> bench/results.json and bench/RESULTS.md.

Generates the national-scale year once (cached by generator version and arguments), then
times each stage of the pipeline separately and end to end, with the peak RSS of every
stage's process, plus the floor (one plain DuckDB scan of every column of every raw file), an
incremental case (add the next month and rebuild) and a scaling table (1/8 … 1/1 of the
providers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from iapt_tools.bench_stages import INCREMENTAL_STAGES, STAGES, Stage
from iapt_tools.generator import GENERATOR_VERSION
from iapt_tools.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "bench"
CACHE_DIR = BENCH_DIR / "cache"
PYTHON = sys.executable


@dataclass
class StageResult:
    name: str
    seconds: float
    peak_rss_mb: float
    returncode: int
    steps: list[dict] = field(default_factory=list)


def run_measured(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """Run a command; return wall seconds, peak RSS in MB of it and its children, exit code."""
    start = time.perf_counter()
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    # ru_maxrss is in kilobytes on Linux; wait4 reports this child (and what it waited for).
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_stage(stage: Stage, env: dict[str, str], log: Path) -> StageResult:
    total, peak, steps, code = 0.0, 0.0, [], 0
    for cmd in stage.commands(PYTHON):
        seconds, rss, code = run_measured(cmd, env, log)
        steps.append({"command": " ".join(cmd), "seconds": round(seconds, 2), "peak_rss_mb": rss})
        total += seconds
        peak = max(peak, rss)
        if code != 0:
            break
    print(f"  {stage.name:<13} {total:8.1f} s  peak {peak:8.0f} MB  exit {code}", flush=True)
    return StageResult(stage.name, round(total, 2), round(peak, 1), code, steps)


def generate(args: list[str], log: Path) -> Path:
    """Generate raw data once per generator version and argument list (bench/cache)."""
    key = "_".join([f"v{GENERATOR_VERSION}", *(a.lstrip("-") for a in args)])
    out = CACHE_DIR / key
    if (out / ".complete").exists():
        print(f"cached raw data: {out}", flush=True)
        return out
    shutil.rmtree(out, ignore_errors=True)
    print(f"generating raw data: {' '.join(args)}", flush=True)
    seconds, rss, code = run_measured(
        [PYTHON, "scripts/generate_data.py", "--out", str(out), *args], dict(os.environ), log
    )
    if code != 0:
        raise SystemExit(f"generator failed (exit {code}); see {log}")
    (out / ".complete").write_text(json.dumps({"seconds": seconds, "peak_rss_mb": rss}))
    print(f"  generated in {seconds:.1f} s, peak {rss:.0f} MB", flush=True)
    return out


def submission_folders(raw: Path) -> list[tuple[str, str, Path]]:
    """(reporting month, provider, folder) for every submission folder below raw/iapt_v2."""
    found = []
    for header in sorted((raw / "iapt_v2").rglob("IDS000_Header.csv")):
        lines = header.read_text().splitlines()
        names = lines[0].split(",")
        values = lines[1].split(",")
        row = dict(zip(names, values, strict=False))
        found.append((row["ReportingPeriodStartDate"][:7], row["OrgIDProv"], header.parent))
    return found


def link_subset(raw: Path, dest: Path, months: set[str] | None, providers: set[str] | None) -> Path:
    """A raw folder holding only the chosen months and providers, as hard links (instant,
    no extra disk; DuckDB's ** glob does not follow symlinked folders)."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "iapt_v2").mkdir(parents=True)
    for month, provider, folder in submission_folders(raw):
        if (months is None or month in months) and (providers is None or provider in providers):
            shutil.copytree(
                folder, dest / "iapt_v2" / f"{month}_{folder.name}", copy_function=os.link
            )
    return dest


def raw_size(raw: Path) -> dict[str, float]:
    files = [p for p in raw.rglob("*.csv")]
    rows = 0
    for p in files:
        with p.open("rb") as f:
            rows += sum(1 for _ in f) - 1
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "data_rows": rows,
    }


FLOOR_SCRIPT = """
import csv, glob, sys
import duckdb
con = duckdb.connect()
con.execute("set threads = 2")
tables = ["IDS000_Header", "IDS001_MPI", "IDS101_Referral", "IDS603_PresentingComplaints",
          "IDS201_CareContact", "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"]
for table in tables:
    files = sorted(glob.glob(f"{sys.argv[1]}/iapt_v2/**/{table}.csv", recursive=True))
    layouts = {}
    for path in files:
        # Latin-1: the generator's format faults put undecodable bytes in some files.
        with open(path, newline="", encoding="latin-1") as f:
            layouts.setdefault(tuple(next(csv.reader(f))), []).append(path)
    for names, paths in layouts.items():
        columns = {name: "varchar" for name in names}
        # every column of every row: the least a scan of the raw files can cost
        con.execute(
            "select max(columns(*)) from read_csv(?, columns = ?, auto_detect = false,"
            " header = true, filename = true, ignore_errors = true, strict_mode = false)",
            [paths, columns],
        ).fetchall()
"""


def scan_floor(raw: Path, env: dict[str, str], log: Path) -> StageResult:
    """The floor: one plain DuckDB scan reading every column of every raw file once, as
    fast as DuckDB reads them (columns named up front, no sniffing)."""
    seconds, rss, code = run_measured([PYTHON, "-c", FLOOR_SCRIPT, str(raw)], env, log)
    print(f"  {'raw scan':<13} {seconds:8.1f} s  peak {rss:8.0f} MB  exit {code}", flush=True)
    return StageResult("raw_scan_floor", round(seconds, 2), round(rss, 1), code)


def build_env(raw: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        IAPT_RAW_DIR=str(raw),
        IAPT_WAREHOUSE=str(work / "warehouse.duckdb"),
        IAPT_OUTPUT_DIR=str(work / "output"),
        DBT_PROFILES_DIR=str(PROJECT_ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        IAPT_DUCKDB_TEMP_DIR=str(work / "duckdb_tmp"),
    )
    return env


def pipeline(raw: Path, work: Path, log: Path, stages: list[Stage]) -> list[StageResult]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = build_env(raw, work)
    results = []
    for stage in stages:
        results.append(run_stage(stage, env, log))
        if results[-1].returncode != 0:
            raise SystemExit(f"stage {stage.name} failed; see {log}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=1_800_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--providers", type=int, default=130)
    parser.add_argument("--start", default="2024-04")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--work-dir", type=Path, default=CACHE_DIR / "work", help="where the builds go"
    )
    opts = parser.parse_args()

    BENCH_DIR.mkdir(exist_ok=True)
    log = BENCH_DIR / "bench.log"
    log.write_text("")
    # One more month than the year, so "add the next month" uses the same synthetic world.
    per_month = opts.referrals // opts.months
    gen_args = [
        "--start", opts.start, "--months", str(opts.months + 1),
        "--referrals", str(per_month * (opts.months + 1)),
        "--providers", str(opts.providers), "--seed", str(opts.seed),
        "--refresh-rate", "0.2", "--fault-rate", "0.0005",
    ]  # fmt: skip
    full_raw = generate(gen_args, log)
    generation = json.loads((full_raw / ".complete").read_text())
    folders = submission_folders(full_raw)
    months = sorted({m for m, _, _ in folders})
    year_months, next_month = set(months[: opts.months]), months[opts.months]
    providers = sorted({p for _, p, _ in folders})

    work = opts.work_dir
    year_raw = link_subset(full_raw, work / "raw_year", year_months, None)
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "generator": {"args": gen_args, **generation},
        "raw": raw_size(year_raw),
    }
    print(f"national year: {results['raw']}", flush=True)
    print("floor:", flush=True)
    results["raw_scan_floor"] = asdict(scan_floor(year_raw, build_env(year_raw, work), log))
    print("full build, stage by stage:", flush=True)
    stage_results = pipeline(year_raw, work / "build", log, STAGES)
    results["stages"] = [asdict(r) for r in stage_results]
    results["end_to_end_seconds"] = round(sum(r.seconds for r in stage_results), 1)
    results["end_to_end_peak_rss_mb"] = max(r.peak_rss_mb for r in stage_results)
    results["row_counts"] = row_counts(work / "build" / "warehouse.duckdb")

    print(f"incremental: add {next_month} and rebuild", flush=True)
    link_subset(full_raw, work / "raw_next", {next_month}, None)
    for entry in (work / "raw_next" / "iapt_v2").iterdir():
        shutil.copytree(entry, year_raw / "iapt_v2" / entry.name, copy_function=os.link)
    env = build_env(year_raw, work / "build")
    incremental = [run_stage(s, env, log) for s in INCREMENTAL_STAGES]
    results["incremental"] = {
        "month_added": next_month,
        "stages": [asdict(r) for r in incremental],
        "seconds": round(sum(r.seconds for r in incremental), 1),
    }

    if not opts.skip_scaling:
        results["scaling"] = []
        for fraction in (8, 4, 2):
            chosen = set(providers[: max(1, len(providers) // fraction)])
            raw = link_subset(full_raw, work / f"raw_1_{fraction}", year_months, chosen)
            print(f"scale 1/{fraction} ({len(chosen)} providers):", flush=True)
            res = pipeline(raw, work / f"build_1_{fraction}", log, STAGES)
            results["scaling"].append(scaling_row(f"1/{fraction}", raw, res))
        full = results["raw"]  # measured before the incremental month was added
        results["scaling"].append(
            {"scale": "1/1", "data_rows": full["data_rows"], "bytes": full["bytes"],
             "seconds": results["end_to_end_seconds"],
             "peak_rss_mb": results["end_to_end_peak_rss_mb"]}
        )  # fmt: skip

    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    from iapt_tools.bench_report import write_report

    write_report(results, BENCH_DIR / "RESULTS.md")
    print(f"wrote {BENCH_DIR / 'results.json'} and {BENCH_DIR / 'RESULTS.md'}")


def scaling_row(label: str, raw: Path, res: list[StageResult]) -> dict:
    size = raw_size(raw)
    return {
        "scale": label,
        "data_rows": size["data_rows"],
        "bytes": size["bytes"],
        "seconds": round(sum(r.seconds for r in res), 1),
        "peak_rss_mb": max(r.peak_rss_mb for r in res),
    }


def row_counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('staging', 'intermediate', 'marts') order by 1"
        ).fetchall()
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}


if __name__ == "__main__":
    main()
