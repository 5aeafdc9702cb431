"""Code lists used by the generator (docs/input-contract.md and docs/measures.md)."""

from __future__ import annotations

import numpy as np

from iapt_tools.data_quality.code_lists import SEEDS_DIR, read_seed_csv
from iapt_tools.raw_contract import load_contract

# The file layouts come from the raw contract (vars raw_contract in dbt_project.yml), the
# questionnaire ranges and thresholds from the seed code_questionnaire: the generator
# writes what the warehouse reads.
_CONTRACT = load_contract()
TABLE_COLUMNS: dict[str, list[str]] = {
    table.source_table: table.raw_columns for table in _CONTRACT.iapt_v2_tables
}
TABLES: list[str] = list(TABLE_COLUMNS)
KPI_COLUMNS: list[str] = _CONTRACT.kpi_returns.raw_columns

DATA_SET_VERSION = "1.0"

GENDER = ["1", "2", "9", "X"]
GENDER_P = [0.345, 0.645, 0.002, 0.008]

ETHNIC = [*"ABCDEFGHJKLMNPRS", "Z", "99"]
ETHNIC_P = np.array(
    [76.0, 0.8, 4.2, 0.5, 0.4, 0.5, 0.7, 2.4, 2.6, 1.1, 1.0, 0.8, 1.8, 0.4, 0.3, 1.0, 4.5, 2.0]
)

SOURCE = ["A1", "B1", "A3", "H2", "I1", "N4", "D2", "M6", "C1", "A2", "G1", "M7", "E1", "Q1"]
SOURCE_P = np.array([52.0, 30.0, 3.0, 3.0, 2.0, 2.0, 1.0, 2.0, 1.0, 0.5, 1.0, 1.5, 0.5, 0.5])

CONS_MECH = ["01", "02", "11", "04", "05", "09", "98"]
CONS_MECH_P = np.array([55.0, 36.0, 5.0, 1.0, 1.0, 0.5, 1.5])

# attendance: attended codes and not-attended codes
ATTEND_OK = ["5", "6"]
ATTEND_OK_P = np.array([0.95, 0.05])
ATTEND_NO = ["3", "2", "4", "7"]
ATTEND_NO_P = np.array([0.56, 0.25, 0.15, 0.04])

LOW_INTENSITY = [
    "748051000000105",
    "748101000000105",
    "748041000000107",
    "748091000000102",
    "748061000000108",
    "702545008",
    "1026111000000108",
]
LOW_INTENSITY_P = np.array([40.0, 3.0, 20.0, 2.0, 5.0, 15.0, 15.0])
HIGH_INTENSITY = [
    "304891004",
    "286711000000107",
    "443730003",
    "1127281000000100",
    "1129471000000105",
    "842901000000108",
    "314034001",
    "449030000",
    "933221000000107",
    "1026131000000100",
]
HIGH_INTENSITY_P = np.array([55.0, 15.0, 6.0, 3.0, 2.0, 1.0, 4.0, 6.0, 3.0, 5.0])
EMPLOYMENT_SUPPORT = "1098051000000103"

# end codes by outcome group
END_NOT_ASSESSED = "50"
END_SEEN_NOT_TREATED = ["10", "11", "12", "13", "14", "16", "17", "95"]
END_SEEN_NOT_TREATED_P = np.array([8.0, 20.0, 15.0, 20.0, 25.0, 9.0, 0.2, 2.8])
END_TREATED = ["46", "47", "48", "49", "96"]
END_TREATED_FINISHED_P = np.array([72.0, 7.0, 18.0, 0.1, 2.9])
END_TREATED_ONE_P = np.array([15.0, 20.0, 60.0, 0.1, 4.9])

EMPLOY = ["01", "02", "03", "04", "05", "06", "07", "08", "ZZ"]
EMPLOY_P = np.array([50.0, 12.0, 6.0, 10.0, 5.0, 6.0, 1.0, 7.0, 3.0])
INDICATOR = ["Y", "N", "U", "Z"]


def _number(text: str) -> float:
    """A seed value as the generator's arrays expect it: 10, not 10.0."""
    value = float(text)
    return int(value) if value.is_integer() else value


# questionnaires, in seed order: code -> (min, max, caseness threshold, integer scores?);
# Mobility Inventory is the mean of its items, so its scores are not whole numbers.
DECIMAL_SCORED = {"Mobility Inventory"}
_SEEDED = read_seed_csv(SEEDS_DIR / "code_lists" / "code_questionnaire.csv")
PHQ9 = next(q["code"] for q in _SEEDED if q["measure_role"] == "depression")
GAD7 = next(q["code"] for q in _SEEDED if q["measure_role"] == "default_anxiety")
QUESTIONNAIRES: dict[str, tuple[float, float, float, bool]] = {
    q["code"]: (
        _number(q["min_score"]),
        _number(q["max_score"]),
        _number(q["caseness_threshold"]),
        q["short_name"] not in DECIMAL_SCORED,
    )
    for q in _SEEDED
    if q["is_outcome_measure"] == "true"
}
WSAS_ITEMS = [q["code"] for q in _SEEDED if q["short_name"] == "WSAS item"]
TOOL_CODES: list[str] = list(QUESTIONNAIRES) + WSAS_ITEMS

# presenting complaints: (ICD-10 code, weight, ADSM questionnaire or None)
COMPLAINTS: list[tuple[str, float, str | None]] = [
    ("F32", 6.0, None),
    ("F321", 10.0, None),
    ("F329", 6.0, None),
    ("F331", 5.0, None),
    ("F339", 3.0, None),
    ("F411", 20.0, None),
    ("F412", 15.0, None),
    ("F410", 4.0, "450326007"),
    ("F400", 1.5, "473355002"),
    ("F401", 3.0, "445552006"),
    ("F402", 1.0, None),
    ("F42", 1.5, "450324005"),
    ("F429", 1.5, "450324005"),
    ("F431", 4.0, "491581000000104"),
    ("F452", 2.0, "446793008"),
    ("F432", 3.0, None),
    ("F438", 1.0, None),
    ("F419", 3.0, None),
    ("F408", 0.5, None),
    ("F50", 0.5, None),
    ("F603", 0.5, None),
    ("F10", 0.5, None),
    ("Z630", 0.5, None),
    ("R45", 0.5, None),
]
COMPLAINT_CODES: list[str] = [c for c, _, _ in COMPLAINTS]
COMPLAINT_P = np.array([w for _, w, _ in COMPLAINTS])
COMPLAINT_ADSM: list[str | None] = [a for _, _, a in COMPLAINTS]
