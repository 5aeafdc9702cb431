"""Organisation code lists read from the project's seeds at run time."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from iapt_tools.settings import PROJECT_ROOT

ORG_SEEDS = PROJECT_ROOT / "seeds" / "organisations"


def _column(path: Path, column: str) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        values = [row[column].strip() for row in csv.DictReader(fh)]
    return sorted({v for v in values if v})


@dataclass(frozen=True)
class Organisations:
    pct_codes: list[str]
    pct_sha: dict[str, str]
    ccg_codes: list[str]
    ccg_region: dict[str, str]  # CCG -> commissioning region (2013)
    ccg_area_team: dict[str, str]  # CCG -> area team (2013)
    provider_codes: list[str]
    ccg21_of: dict[str, str]  # 2013 CCG -> the 2021/22 CCG it became
    sub_icb_of: dict[str, str]  # 2021/22 CCG -> the Sub-ICB location with most of its area

    @classmethod
    def load(cls, seeds_dir: Path = ORG_SEEDS) -> Organisations:
        pct_path = seeds_dir / "org_pct_2011_12.csv"
        with pct_path.open(newline="", encoding="utf-8") as fh:
            pct_sha = {r["pct_code"].strip(): r["sha_code"].strip() for r in csv.DictReader(fh)}
        with (seeds_dir / "org_ccg_2013_14.csv").open(newline="", encoding="utf-8") as fh:
            ccgs = {r["ccg_code"].strip(): r for r in csv.DictReader(fh)}
        return cls(
            pct_codes=sorted(pct_sha),
            pct_sha=pct_sha,
            ccg_codes=sorted(ccgs),
            ccg_region={c: r["commissioning_region_code"].strip() for c, r in ccgs.items()},
            ccg_area_team={c: r["area_team_code"].strip() for c, r in ccgs.items()},
            provider_codes=_column(seeds_dir / "org_iapt_providers.csv", "provider_code"),
            ccg21_of=_ccg21_of(seeds_dir, sorted(ccgs)),
            sub_icb_of=_sub_icb_of(seeds_dir),
        )

    def later_code(self, ccg_2013: str, era: str) -> str:
        """The code a 2013 CCG's area carries in a later era (ccg21 or sub_icb)."""
        ccg21 = self.ccg21_of[ccg_2013]
        return ccg21 if era == "ccg21" else self.sub_icb_of[ccg21]

    def pick_providers(self, n: int, rng: np.random.Generator) -> list[str]:
        """n provider codes: NHS trusts (3 characters starting R or T) first, then others.

        The order within each group is a seeded shuffle; the result is sorted.
        """
        trusts = [c for c in self.provider_codes if len(c) == 3 and c[0] in "RT"]
        others = [c for c in self.provider_codes if c not in set(trusts)]
        ordered = [trusts[i] for i in rng.permutation(len(trusts))]
        ordered += [others[i] for i in rng.permutation(len(others))]
        if n > len(ordered):
            raise ValueError(f"--providers {n}: only {len(ordered)} provider codes in the seeds")
        return sorted(ordered[:n])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k: v.strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def _ccg21_of(seeds_dir: Path, ccgs_2013: list[str]) -> dict[str, str]:
    """2013 CCG -> 2021/22 CCG: the legacy lookup, through the successor of a CCG that
    merged before 2021 (the warehouse reads the same seeds)."""
    legacy = {
        r["legacy_ccg_code"]: r["ccg21_code"]
        for r in _rows(seeds_dir / "org_ccg_legacy_to_ccg_2021.csv")
    }
    successor = {
        r["ccg_code"]: r["successor_ccg_code"]
        for r in _rows(seeds_dir / "org_ccg_2013_successor.csv")
    }
    return {c: legacy[c] if c in legacy else legacy[successor[c]] for c in ccgs_2013}


def _sub_icb_of(seeds_dir: Path) -> dict[str, str]:
    """2021/22 CCG -> the Sub-ICB location holding the largest share of its LSOAs."""
    best: dict[str, tuple[float, str]] = {}
    for r in _rows(seeds_dir / "org_ccg_2021_to_sub_icb_2022.csv"):
        share = float(r["share_of_ccg_lsoas"])
        if r["ccg_code"] not in best or share > best[r["ccg_code"]][0]:
            best[r["ccg_code"]] = (share, r["sub_icb_code"])
    return {c: code for c, (_, code) in best.items()}
