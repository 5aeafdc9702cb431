"""Generator options and calendar helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

# The commissioner code lists of each era (docs/synthetic-data.md, "Commissioners"): PCTs,
# the 2013/14 CCGs, the 2021/22 CCGs, Sub-ICB locations. Same boundaries as the
# warehouse's organisation editions (macros/organisations/organisation_editions.sql),
# except that the generator moves to the 2021/22 CCG list when it came into force.
CCG_ERA_START = dt.date(2013, 4, 1)
CCG21_ERA_START = dt.date(2021, 4, 1)
SUB_ICB_ERA_START = dt.date(2022, 7, 1)
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class GeneratorConfig:
    out: Path
    start: str = "2012-10"
    months: int = 15
    referrals: int = 4000
    providers: int = 6
    seed: int = 7
    refresh_rate: float = 0.3
    fault_rate: float = 0.0
    kpi_returns: bool = False
    force: bool = False

    def as_manifest_args(self) -> dict[str, object]:
        args = asdict(self)
        args.pop("out")
        args.pop("force")
        return args


def to_day(d: dt.date) -> int:
    """Days since 1970-01-01 (the numpy datetime64[D] integer)."""
    return (d - EPOCH).days


def from_day(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def parse_month(text: str) -> dt.date:
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)


def add_months(d: dt.date, n: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + n
    return dt.date(idx // 12, idx % 12 + 1, 1)


@dataclass(frozen=True)
class Calendar:
    """The generated reporting months."""

    month_starts: list[dt.date]

    @classmethod
    def build(cls, start: str, months: int) -> Calendar:
        first = parse_month(start)
        return cls([add_months(first, i) for i in range(months)])

    @property
    def n(self) -> int:
        return len(self.month_starts)

    @property
    def start_days(self) -> np.ndarray:
        return np.array([to_day(d) for d in self.month_starts], dtype=np.int64)

    @property
    def end_days(self) -> np.ndarray:
        return np.array([to_day(add_months(d, 1)) - 1 for d in self.month_starts], dtype=np.int64)

    @property
    def first_day(self) -> int:
        return int(self.start_days[0])

    @property
    def last_day(self) -> int:
        return int(self.end_days[-1])

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index of each day (-1 before the span, n after it)."""
        idx = np.searchsorted(self.start_days, days, side="right") - 1
        return np.where(days > self.last_day, self.n, idx)

    @property
    def commissioner_era(self) -> list[str]:
        """Per month, the code list OrgIDComm is written from: pct, ccg, ccg21, sub_icb."""
        return [commissioner_era(d) for d in self.month_starts]


def commissioner_era(month_start: dt.date) -> str:
    """The commissioner code list of a submission month."""
    if month_start >= SUB_ICB_ERA_START:
        return "sub_icb"
    if month_start >= CCG21_ERA_START:
        return "ccg21"
    if month_start >= CCG_ERA_START:
        return "ccg"
    return "pct"
