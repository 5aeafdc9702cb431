"""Plain names of data items and checks for readers (the data-quality statement).

Names come from one list, the seed `seeds/data_quality/dq_data_items.csv` (item labels),
and for score range checks from `code_questionnaire.short_name`: the statement shows
"Gender (IDS001)" or "PHQ-9 score (IDS606)", never `gender_code` or `s_score_720433000`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from iapt_tools.data_quality.checks import Check, all_checks
from iapt_tools.data_quality.code_lists import SEEDS_DIR, load_code_lists

ITEMS_SEED = "data_quality/dq_data_items.csv"
KPI_TABLE = "kpi_returns"


@dataclass(frozen=True)
class CheckName:
    item: str  # "Gender (IDS001)"
    rule: str  # "Is in its code list"


def load_item_labels(seeds_dir: Path = SEEDS_DIR) -> dict[tuple[str, str], str]:
    """(source_table, data_item) -> label, from the seed."""
    with (seeds_dir / ITEMS_SEED).open(newline="", encoding="utf-8") as handle:
        return {
            (r["source_table"], r["data_item"]): r["item_label"] for r in csv.DictReader(handle)
        }


def table_code(source_table: str) -> str:
    """'IDS001_MPI' -> 'IDS001'; the KPI returns -> 'KPI return'."""
    return "KPI return" if source_table == KPI_TABLE else source_table.split("_", 1)[0]


def item_name(labels: dict[tuple[str, str], str], source_table: str, data_item: str) -> str:
    """'Gender (IDS001)'. An item missing from the seed raises: the seed must be complete
    (a test checks it against every check and VODIM item)."""
    try:
        label = labels[(source_table, data_item)]
    except KeyError:
        raise KeyError(f"{source_table}.{data_item} has no label in seeds/{ITEMS_SEED}") from None
    return f"{label} ({table_code(source_table)})"


# a description starting with the item's column (snake or raw name) says the rule after it
_LEADING_NAME = re.compile(r"^(?:[a-z0-9]+(?:_[a-z0-9]+)+|[A-Z][A-Za-z0-9]+)\s+")


def _rule(check: Check) -> str:
    text = check.description
    if "short_name" in check.meta:  # "PHQ-9 (720433000) scores lie in 0-27"
        text = text.split(" scores ", 1)[1].replace("lie ", "lies ", 1)
    else:
        text = _LEADING_NAME.sub("", text, count=1)
    return text[:1].upper() + text[1:]


def check_names(seeds_dir: Path = SEEDS_DIR) -> dict[str, CheckName]:
    """check_id -> its item's plain name and its rule in words."""
    labels = load_item_labels(seeds_dir)
    names = {}
    for check in all_checks(load_code_lists(seeds_dir)):
        if "short_name" in check.meta:
            item = f"{check.meta['short_name']} score ({table_code(check.source_table)})"
        else:
            item = item_name(labels, check.source_table, check.data_item)
        names[check.check_id] = CheckName(item=item, rule=_rule(check))
    return names
