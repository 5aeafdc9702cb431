"""Orchestrate a generator run: simulate, assemble submissions, inject faults, write."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

from ..settings import PROJECT_ROOT
from . import GENERATOR_VERSION, SYNTHETIC_MARKER, codes
from .commissioners import plan_commissioners
from .config import Calendar, GeneratorConfig, from_day
from .faults import (
    FaultLog,
    RecordFaults,
    duplicate_folders,
    file_faults,
    format_faults,
    plan_header_copies,
)
from .kpi import generate_kpi_returns
from .orgs import Organisations
from .pathways import simulate
from .submissions import (
    FIRST_SUBMISSION_ID,
    TABLE_ORDER,
    TABLE_QUERIES,
    plan_submissions,
    register_world,
)
from .writer import copy_split, write_rows


class Progress:
    """Per-stage lines on stderr with elapsed seconds."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def __call__(self, msg: str) -> None:
        print(
            f"[generate {time.perf_counter() - self.t0:6.1f}s] {msg}", file=sys.stderr, flush=True
        )


def check_out_dir(out: Path, force: bool) -> None:
    resolved = out.resolve()
    if resolved in {Path("/"), Path.home().resolve(), PROJECT_ROOT.resolve()}:
        raise SystemExit(f"error: refusing to write into {resolved}; choose a data folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(
                f"error: output folder {out} is not empty; use --force to replace its contents"
            )
        for child in out.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)


def write_synthetic_marker(cfg: GeneratorConfig) -> None:
    """<out>/SYNTHETIC_DATA.json says the raw root is generated, not real: the build
    records it (marts.dim_build.is_synthetic) and the publication labels itself by it."""
    marker = {
        "synthetic": True,
        "generator": "scripts/generate_data.py",
        "generator_version": GENERATOR_VERSION,
        "generator_args": cfg.as_manifest_args(),
    }
    (cfg.out / SYNTHETIC_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def generate(cfg: GeneratorConfig) -> dict[str, object]:
    log = Progress()
    check_out_dir(cfg.out, cfg.force)
    rng = np.random.default_rng(cfg.seed)
    cal = Calendar.build(cfg.start, cfg.months)
    orgs = Organisations.load()
    providers = orgs.pick_providers(cfg.providers, rng)
    log(f"{cfg.referrals} referrals, {cfg.providers} providers, {cal.n} months from {cfg.start}")
    # own stream, so that the plans leave every other draw of the run as it was
    plan_rng = np.random.default_rng([cfg.seed, 3])
    pct_sha = [orgs.pct_sha[c] for c in orgs.pct_codes]  # a PCT's SHA is region and area
    pct_plan = plan_commissioners(plan_rng, cfg.providers, pct_sha, pct_sha)
    ccg_plan = plan_commissioners(
        plan_rng,
        cfg.providers,
        [orgs.ccg_region[c] for c in orgs.ccg_codes],
        [orgs.ccg_area_team[c] for c in orgs.ccg_codes],
    )
    world = simulate(rng, cal, cfg.referrals, cfg.providers, pct_plan, ccg_plan)
    log(
        f"simulated {world.contacts.day.size} contacts, {world.scores.day.size} scores, "
        f"{world.employment.day.size} employment records"
    )
    subs = plan_submissions(rng, cal, providers, cfg.refresh_rate)
    fault_rng = np.random.default_rng([cfg.seed, 2])  # faults never change the clean data
    copies: dict[str, str] = {}
    if cfg.fault_rate > 0:
        extra, copies = plan_header_copies(fault_rng, subs, cfg.fault_rate)
        subs = subs + extra
    tmp_root = cfg.out / ".tmp_generate"
    # DuckDB creates only the last level of its spill directory, and may spill as soon
    # as the first fault table is materialised.
    (tmp_root / "duckdb").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute("set preserve_insertion_order = true")
    con.execute("set memory_limit = '4GB'")
    con.execute(f"set temp_directory = '{(tmp_root / 'duckdb').as_posix()}'")
    register_world(con, rng, world, cal, subs, orgs.pct_codes, orgs.ccg_codes, orgs.later_code)
    del world
    log("loaded into DuckDB")
    n_refresh = sum(s.file_type == "Refresh" and s.key not in copies for s in subs)
    log(f"{len(subs) - len(copies)} submissions planned ({n_refresh} refresh)")

    root = cfg.out / "iapt_v2"
    folders = {s.key: root / s.folder for s in subs}
    for f in folders.values():
        f.mkdir(parents=True, exist_ok=True)
    for s in subs:
        write_rows(
            folders[s.key] / "IDS000_Header.csv",
            codes.TABLE_COLUMNS["IDS000_Header"],
            [
                [
                    s.usid,
                    s.provider_code,
                    s.period_start.isoformat(),
                    s.period_end.isoformat(),
                    s.file_type,
                    s.submitted_at,
                    codes.DATA_SET_VERSION,
                ]
            ],
        )
    row_counts: dict[str, int] = {"IDS000_Header": len(subs)}
    fault_log = FaultLog()
    faults = None
    if cfg.fault_rate > 0:
        faults = RecordFaults(con, fault_rng, cfg.fault_rate, subs, copies, fault_log)
    by_sid = {i: folders[s.key] for i, s in enumerate(subs)}
    for table in TABLE_ORDER:
        query = TABLE_QUERIES[table]
        if faults is None:  # straight from the query to the files
            source = f"select sid as g, ord as o, * from ({query})"
            row_counts[table] = copy_split(con, table, source, by_sid, tmp_root)
            log(f"wrote {table}: {row_counts[table]} rows")
            continue
        # with faults: materialise with the row numbers the manifest refers to
        con.execute(
            f"create or replace table t_{table} as select s.key, row_number() over "
            "(partition by q.sid order by q.ord) as rn, q.* exclude (sid, ord) "
            f"from ({query}) q join g_subs s on s.sid = q.sid"
        )
        faults.apply(table)
        source = f"select key as g, rn as o, * from t_{table}"
        row_counts[table] = copy_split(con, table, source, folders, tmp_root)
        if table == "IDS606_CodedScoreAssessment":
            faults.record_events()
            con.execute("drop table t_IDS201_CareContact")
        if table != "IDS201_CareContact":
            con.execute(f"drop table t_{table}")
        log(f"wrote {table}: {row_counts[table]} rows")
    if tmp_root.exists():
        shutil.rmtree(tmp_root)
    if faults is not None:
        file_faults(faults, cfg.out, fault_log, FIRST_SUBMISSION_ID + len(subs) + 1000)
        format_faults(faults, cfg.out)
        duplicate_folders(np.random.default_rng([cfg.seed, 4]), faults, cfg.out, fault_log)
    if cfg.kpi_returns:
        kpi_rows = generate_kpi_returns(
            np.random.default_rng([cfg.seed, 1]),
            cfg.out,
            from_day(cal.last_day),
            orgs.pct_codes,
            cfg.fault_rate,
            fault_log,
        )
        row_counts["kpi_returns"] = kpi_rows
        log(f"wrote kpi_returns: {kpi_rows} rows")
    if faults is not None:
        log(f"injected {sum(len(v) for v in fault_log.items.values())} faults")

    manifest = {"generator_args": cfg.as_manifest_args(), "faults": fault_log.manifest()}
    (cfg.out / "faults_manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    write_synthetic_marker(cfg)
    log("done")
    return {"row_counts": row_counts, "submissions": len(subs)}
