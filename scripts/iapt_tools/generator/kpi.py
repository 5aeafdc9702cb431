"""Part B: quarterly KPI returns from every PCT (2011-12 Q1 … 2012-13 Q4).

One file per collection quarter under ``kpi_returns/``: the quarter's Originals plus the
Resubmissions of the previous quarter (a PCT may resubmit once, during the next
collection). Level of need sums to about 6.1 million adults nationally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .codes import KPI_COLUMNS
from .config import add_months
from .faults import FaultLog
from .writer import write_rows

FIRST_QUARTER = dt.date(2011, 4, 1)
LAST_QUARTER = dt.date(2013, 1, 1)
NATIONAL_LEVEL_OF_NEED = 6_100_000
COUNT_COLUMNS = KPI_COLUMNS[7:]


@dataclass(frozen=True)
class Quarter:
    start: dt.date

    @property
    def end(self) -> dt.date:
        return add_months(self.start, 3) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        fy = self.start.year if self.start.month >= 4 else self.start.year - 1
        q = ((self.start.month - 4) % 12) // 3 + 1
        return f"{fy}-{str(fy + 1)[2:]} Q{q}"

    @property
    def file_stem(self) -> str:
        return "IAPT_KPI_" + self.label.replace(" ", "_")

    def next(self) -> Quarter:
        return Quarter(add_months(self.start, 3))


@dataclass
class Return:
    values: dict[str, object]
    file_stem: str
    order: int = 0
    faults: list[tuple[str, int]] = field(default_factory=list)  # (kind, rejected rows)


def kpi_quarters(last_month_end: dt.date) -> list[Quarter]:
    out, q = [], Quarter(FIRST_QUARTER)
    while q.start <= LAST_QUARTER and q.end <= last_month_end:
        out.append(q)
        q = q.next()
    return out


def _stamp(rng: np.random.Generator, day: dt.date) -> str:
    t = dt.datetime.combine(day, dt.time()) + dt.timedelta(
        seconds=int(rng.integers(8 * 3600, 18 * 3600))
    )
    return t.strftime("%Y-%m-%d %H:%M:%S")


def generate_kpi_returns(
    rng: np.random.Generator,
    out: Path,
    last_month_end: dt.date,
    pct_codes: list[str],
    fault_rate: float,
    log: FaultLog,
) -> int:
    """Write the KPI return files; returns the number of rows written."""
    quarters = kpi_quarters(last_month_end)
    if not quarters:
        return 0
    n_pct = len(pct_codes)
    weight = rng.lognormal(0.0, 0.45, n_pct)
    level = np.rint(weight / weight.sum() * NATIONAL_LEVEL_OF_NEED).astype(np.int64)
    nil_pcts = set(rng.choice(n_pct, size=2, replace=False).tolist())
    returns: list[Return] = []
    originals: dict[tuple[int, int], Return] = {}
    for qi, q in enumerate(quarters):
        growth = 1.0 + 0.04 * qi
        for p, code in enumerate(pct_codes):
            values: dict[str, object] = {
                "Quarter": q.label,
                "OrgCode": code,
                "ReturnType": "Original",
                "SubmittedAt": _stamp(rng, q.end + dt.timedelta(days=int(rng.integers(15, 40)))),
                "NilReturn": "N",
                "NilReturnReason": None,
                "LevelOfNeed": int(level[p] * (1.01 if q.start.year >= 2012 else 1.0)),
            }
            if p in nil_pcts and qi < 2:
                values["NilReturn"] = "Y"
                values["NilReturnReason"] = "No IAPT service commissioned in the quarter"
                values.update(dict.fromkeys(COUNT_COLUMNS))
            else:
                values.update(_figures(rng, level[p] * growth))
            r = Return(values, q.file_stem, order=p)
            returns.append(r)
            originals[(qi, p)] = r
    # resubmissions: ~3% of non-nil returns, sent during the next quarter's collection
    candidates = [k for k, r in originals.items() if r.values["NilReturn"] == "N"]
    n_resub = max(1, round(0.03 * len(candidates)))
    resubmitted: set[tuple[int, int]] = set()
    for i in np.sort(rng.choice(len(candidates), size=n_resub, replace=False)):
        qi, p = candidates[int(i)]
        q = quarters[qi]
        values = dict(originals[(qi, p)].values)
        values["ReturnType"] = "Resubmission"
        nxt = q.next()
        values["SubmittedAt"] = _stamp(rng, nxt.end + dt.timedelta(days=int(rng.integers(15, 40))))
        for col in ("ReferralsReceived", "EnteredTreatment", "CompletedTreatment"):
            values[col] = int(values[col]) + int(rng.integers(1, 25))  # late-recorded activity
        returns.append(Return(values, nxt.file_stem, order=n_pct + p))
        resubmitted.add((qi, p))
    if fault_rate > 0:
        _kpi_faults(rng, returns, originals, resubmitted, quarters, pct_codes, fault_rate, log)
    return _write(out, returns, log)


def _figures(rng: np.random.Generator, need: float) -> dict[str, object]:
    referrals = int(need * rng.uniform(0.026, 0.040))
    entered = int(referrals * rng.uniform(0.55, 0.70))
    completed = int(entered * rng.uniform(0.45, 0.60))
    not_at_caseness = int(completed * rng.uniform(0.06, 0.12))
    return {
        "ReferralsReceived": referrals,
        "EnteredTreatment": entered,
        "WaitingOver28Days": int(referrals * rng.uniform(0.08, 0.30)),
        "CompletedTreatment": completed,
        "NotAtCasenessAtStart": not_at_caseness,
        "MovedToRecovery": int((completed - not_at_caseness) * rng.uniform(0.38, 0.50)),
        "MovedOffSickPayOrBenefits": int(completed * rng.uniform(0.01, 0.04)),
    }


def _kpi_faults(
    rng: np.random.Generator,
    returns: list[Return],
    originals: dict[tuple[int, int], Return],
    resubmitted: set[tuple[int, int]],
    quarters: list[Quarter],
    pct_codes: list[str],
    rate: float,
    log: FaultLog,
) -> None:
    """Rejected rows, validation queries and a missing return; one fault per return."""
    n = max(1, round(rate * len(originals) / 10))
    pool = [
        k for k, r in originals.items() if r.values["NilReturn"] == "N" and k not in resubmitted
    ]
    order = [pool[int(i)] for i in rng.permutation(len(pool))]
    kinds = [
        "negative_count",
        "recovery_exceeds_eligible",
        "not_at_caseness_exceeds_completed",
        "missing_level_of_need",
        "unknown_count",
        "missing_return",
        "superseded_original",
        "unknown_org_code",
        "unparseable_quarter",
        "unknown_return_type",
    ]
    picks = {kind: order[i * n : (i + 1) * n] for i, kind in enumerate(kinds)}
    for key in picks["negative_count"]:
        originals[key].values["WaitingOver28Days"] = -int(rng.integers(1, 50))
        originals[key].faults.append(("negative_count", 0))
    for key in picks["recovery_exceeds_eligible"]:
        v = originals[key].values
        v["MovedToRecovery"] = int(v["CompletedTreatment"]) - int(v["NotAtCasenessAtStart"]) + 5
        originals[key].faults.append(("recovery_exceeds_eligible", 0))
    for key in picks["not_at_caseness_exceeds_completed"]:
        v = originals[key].values
        v["NotAtCasenessAtStart"] = int(v["CompletedTreatment"]) + 3
        # with NotAtCaseness > Completed, any MovedToRecovery >= 0 also exceeds the eligible
        # count (Completed - NotAtCaseness < 0): both queries are raised for this row
        originals[key].faults.append(("not_at_caseness_exceeds_completed", 0))
        originals[key].faults.append(("recovery_exceeds_eligible", 0))
    for key in picks["missing_level_of_need"]:
        originals[key].values["LevelOfNeed"] = None
        originals[key].faults.append(("missing_level_of_need", 0))
    for key in picks["unknown_count"]:
        originals[key].values["MovedOffSickPayOrBenefits"] = None
        originals[key].faults.append(("unknown_count", 0))
    for key in picks["missing_return"]:
        r = originals[key]
        returns.remove(r)
        qi, p = key
        log.add(
            "missing_return", "kpi_returns", None, None, f"{pct_codes[p]} {quarters[qi].label}", 0
        )
    for key in picks["superseded_original"]:
        r = originals[key]
        values = dict(r.values)
        values["SubmittedAt"] = _stamp(rng, quarters[key[0]].end + dt.timedelta(days=10))
        values["ReferralsReceived"] = int(values["ReferralsReceived"]) - int(rng.integers(5, 40))
        values["EnteredTreatment"] = int(values["EnteredTreatment"]) - int(rng.integers(1, 5))
        returns.append(
            Return(values, r.file_stem, order=10**6, faults=[("superseded_original", 0)])
        )
    bad = {
        "unknown_org_code": ("OrgCode", "5ZZ"),
        "unparseable_quarter": ("Quarter", None),
        "unknown_return_type": ("ReturnType", "Amendment"),
    }
    for kind, (col, value) in bad.items():
        for key in picks[kind]:
            r = originals[key]
            values = dict(r.values)
            values[col] = (
                value
                if value
                else str(values["Quarter"]).replace("-", "/").replace(" Q", " Quarter ")
            )
            returns.append(Return(values, r.file_stem, order=10**6, faults=[(kind, 1)]))
    # a second resubmission of a resubmitted return: rejected (late resubmission)
    resubs = [r for r in returns if r.values["ReturnType"] == "Resubmission" and not r.faults]
    for i in rng.choice(len(resubs), size=min(n, len(resubs)), replace=False):
        r = resubs[int(i)]
        values = dict(r.values)
        values["SubmittedAt"] = _stamp(
            rng, dt.date.fromisoformat(str(values["SubmittedAt"])[:10]) + dt.timedelta(days=20)
        )
        values["CompletedTreatment"] = int(values["CompletedTreatment"]) + 2
        returns.append(Return(values, r.file_stem, order=10**6, faults=[("late_resubmission", 1)]))


def _write(out: Path, returns: list[Return], log: FaultLog) -> int:
    folder = out / "kpi_returns"
    folder.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[Return]] = {}
    for r in returns:
        by_file.setdefault(r.file_stem, []).append(r)
    total = 0
    for stem in sorted(by_file):
        rows = sorted(by_file[stem], key=lambda r: r.order)  # stable: appended faults last
        write_rows(
            folder / f"{stem}.csv", KPI_COLUMNS, [[r.values[c] for c in KPI_COLUMNS] for r in rows]
        )
        for i, r in enumerate(rows, start=1):
            for kind, rejected in r.faults:
                ident = f"{r.values['OrgCode']} {r.values['Quarter']}"
                log.add(kind, "kpi_returns", f"kpi_returns/{stem}.csv", i, ident, rejected)
        total += len(rows)
    return total
