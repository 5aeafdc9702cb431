"""Read the seeded code lists: the one source of truth for the expectation suites."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from iapt_tools.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"


@dataclass(frozen=True)
class Questionnaire:
    code: str
    short_name: str
    min_score: float
    max_score: float


@dataclass(frozen=True)
class CodeLists:
    """Codes by seed name, questionnaire ranges and organisation codes."""

    codes: dict[str, list[str]]
    questionnaires: list[Questionnaire]
    pct_codes: list[str]
    ccg_codes: list[str]
    provider_codes: list[str]
    later_commissioner_codes: list[str]  # CCGs formed 2015-2021 and Sub-ICB locations
    sources: list[str]


def read_seed_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_code_lists(seeds_dir: Path = SEEDS_DIR) -> CodeLists:
    """Load every `code_*.csv` in seeds/code_lists and the organisation code lists."""
    code_dir = seeds_dir / "code_lists"
    paths = sorted(code_dir.glob("code_*.csv"))
    if not paths:
        raise FileNotFoundError(f"no code lists in {code_dir}")
    codes = {p.stem: sorted({row["code"] for row in read_seed_csv(p)}) for p in paths}
    questionnaires = [
        Questionnaire(
            code=row["code"],
            short_name=row["short_name"],
            min_score=float(row["min_score"]),
            max_score=float(row["max_score"]),
        )
        for row in read_seed_csv(code_dir / "code_questionnaire.csv")
    ]
    org_dir = seeds_dir / "organisations"
    pct = read_seed_csv(org_dir / "org_pct_2011_12.csv")
    ccg = read_seed_csv(org_dir / "org_ccg_2013_14.csv")
    providers = read_seed_csv(org_dir / "org_iapt_providers.csv")
    legacy = read_seed_csv(org_dir / "org_ccg_legacy_to_ccg_2021.csv")
    sub_icbs = read_seed_csv(org_dir / "org_sub_icb_locations.csv")
    org_paths = [
        org_dir / "org_pct_2011_12.csv",
        org_dir / "org_ccg_2013_14.csv",
        org_dir / "org_iapt_providers.csv",
        org_dir / "org_ccg_legacy_to_ccg_2021.csv",
        org_dir / "org_sub_icb_locations.csv",
    ]
    return CodeLists(
        codes=codes,
        questionnaires=sorted(questionnaires, key=lambda q: q.code),
        pct_codes=sorted({r["pct_code"] for r in pct}),
        ccg_codes=sorted({r["ccg_code"] for r in ccg}),
        provider_codes=sorted({r["provider_code"] for r in providers}),
        later_commissioner_codes=sorted(
            {r["legacy_ccg_code"] for r in legacy} | {r["sub_icb_code"] for r in sub_icbs}
        ),
        sources=[str(p.relative_to(seeds_dir.parent)) for p in [*paths, *org_paths]],
    )
