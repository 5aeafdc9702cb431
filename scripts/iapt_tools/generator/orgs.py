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
        )

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
