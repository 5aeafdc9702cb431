"""Inject the input contract's bad-input cases into the record-level tables.

Faults never overlap: a row carries at most one fault, row faults go only into used
submissions (not a Primary replaced by a Refresh) that carry no whole-file fault, and
rejections in IDS101 only hit referrals without events in that submission (so no event
becomes an orphan by accident). Every fault is recorded for ``faults_manifest.json``
(see docs/architecture.md, "Generator fault manifest").
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from iapt_tools.raw_contract import load_contract

from . import codes
from .codes import TABLE_COLUMNS
from .submissions import Submission

# which kinds a table gets (rejections first, then flags); id column per table
ID_COLUMN = {
    "IDS000_Header": "UniqueSubmissionID",
    "IDS001_MPI": "LocalPatientId",
    "IDS101_Referral": "PathwayID",
    "IDS603_PresentingComplaints": "PathwayID",
    "IDS201_CareContact": "CareContactId",
    "IDS606_CodedScoreAssessment": "PathwayID",
    "IDS004_EmpStatus": "LocalPatientId",
}
Fault = tuple[str, str, str | None]  # (kind, column, value or None = null)


def _row_faults(
    table: str, unparseable: tuple[str, str] | None, invalid_codes: dict[str, str]
) -> list[Fault]:
    """A table's row faults, in the order they are drawn: its unparseable value, then the
    faults every table gets from the raw contract (a null required value, a null id, a
    foreign UniqueSubmissionID, an unknown PathwayID where orphans are checked), then its
    invalid codes. A value may use {v} = the current value."""
    spec = load_contract().by_source(table)
    faults: list[Fault] = [("unparseable_value", *unparseable)] if unparseable else []
    faults += [("missing_value", c.raw, None) for c in spec.columns if c.role == "required"]
    faults += [
        ("missing_key", ID_COLUMN[table], None),
        ("submission_id_mismatch", "UniqueSubmissionID", "{other_usid}"),
    ]
    if spec.orphan_check:
        faults.append(("orphan_event", "PathwayID", "PWX{rn7}"))
    return faults + [("invalid_code", column, value) for column, value in invalid_codes.items()]


ROW_FAULTS: dict[str, list[Fault]] = {
    "IDS201_CareContact": _row_faults(
        "IDS201_CareContact",
        ("CareContDate", "{year}-02-30"),
        {"AttendOrDNACode": "8", "AppType": "07", "ConsMechanism": "03"},
    ),
    "IDS606_CodedScoreAssessment": _row_faults(
        "IDS606_CodedScoreAssessment", ("PersScore", "n/a"), {}
    ),
    "IDS004_EmpStatus": _row_faults(
        "IDS004_EmpStatus",
        ("EmployStatusRecDate", "{dmy}"),
        {"EmployStatus": "09", "SSPInd": "X", "BenefitRecInd": "Q"},
    ),
    "IDS101_Referral": _row_faults(
        "IDS101_Referral", ("AgeAtReferral", "4O"), {"SourceOfReferralIAPT": "Z9"}
    ),
    "IDS603_PresentingComplaints": _row_faults(
        "IDS603_PresentingComplaints", ("PresCompDate", "{ym}-32"), {}
    ),
    "IDS001_MPI": _row_faults("IDS001_MPI", None, {"Gender": "3", "EthnicCategory": "Q"}),
}
# Format faults: the text of a written line is damaged (format_faults). Only in tables no
# other row depends on, so each rejects exactly its own line.
FORMAT_FAULTS = ("malformed_row", "unterminated_quote", "bad_encoding")
FORMAT_FAULT_TABLES = (
    "IDS603_PresentingComplaints",
    "IDS606_CodedScoreAssessment",
    "IDS004_EmpStatus",
)
REJECTIONS = {
    "missing_header",
    "bad_header_row_count",
    "missing_file",
    "missing_column",
    "unparseable_value",
    "missing_value",
    "missing_key",
    "submission_id_mismatch",
    "duplicate_key",
    "orphan_event",
}
NO_EVENT = "exists (select 1 from f_no_event n where n.key = t.key and n.rn = t.rn)"
COPY_SUBMISSION_ID = 900001
MISSING_FILE_TABLES = ["IDS004_EmpStatus", "IDS603_PresentingComplaints", "IDS001_MPI"]
MISSING_COLUMN_TABLES = ["IDS201_CareContact", "IDS606_CodedScoreAssessment"]
# a score above the range of PHQ-9 (0-27) and of GAD-7 (0-21): score_out_of_range
OUT_OF_RANGE_SCORE = {codes.PHQ9: "31", codes.GAD7: "24"}
EVENT_TABLES = ["IDS201_CareContact", "IDS606_CodedScoreAssessment", "IDS004_EmpStatus"]
DATE_COLUMN = {
    "IDS201_CareContact": "CareContDate",
    "IDS606_CodedScoreAssessment": "AssToolCompDate",
    "IDS004_EmpStatus": "EmployStatusRecDate",
}


@dataclass(frozen=True)
class _Candidates:
    table: str
    cols: str
    keys: np.ndarray
    rns: np.ndarray


@dataclass
class FaultLog:
    items: dict[str, list[dict[str, object]]] = field(default_factory=lambda: defaultdict(list))
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(
        self,
        kind: str,
        table: str | None,
        file: str | None,
        row: int | None,
        ident: str | None,
        rejected_rows: int,
    ) -> None:
        self.items[kind].append(
            {"table": table, "file": file, "row": row, "reason_code": kind, "id": ident}
        )
        self.rejected[kind] += rejected_rows

    def manifest(self) -> dict[str, dict[str, object]]:
        return {
            kind: {
                "count": len(items),
                "rejected_rows": self.rejected[kind],
                "items": items,
            }
            for kind, items in sorted(self.items.items())
        }


class RecordFaults:
    """Row-level faults applied to the DuckDB tables ``t_<table>`` before they are written."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        rng: np.random.Generator,
        rate: float,
        subs: list[Submission],
        copies: dict[str, str],
        log: FaultLog,
    ) -> None:
        self.con = con
        self.rng = rng
        self.rate = rate
        self.log = log
        self.subs = {s.key: s for s in subs}
        self.copies = copies  # extra folders (key -> header fault kind): no other faults
        real = [s for s in subs if s.key not in copies]
        superseded = [s for s in real if s.file_type == "Primary" and s.has_refresh]
        used = [s for s in real if not (s.file_type == "Primary" and s.has_refresh)]
        # whole-file faults go to superseded Primaries when there are enough of them;
        # the other files of such a folder may still carry row faults (no interaction)
        n_file = max(1, round(rate * len(real) * 0.25))
        pool = superseded if len(superseded) >= 2 * n_file else real
        order = rng.permutation(len(pool))
        self.missing_file = [
            (pool[i], str(rng.choice(MISSING_FILE_TABLES))) for i in order[:n_file]
        ]
        self.missing_column = [
            (pool[i], str(rng.choice(MISSING_COLUMN_TABLES))) for i in order[n_file : 2 * n_file]
        ]
        blocked = pd.DataFrame(
            [(t, s.key) for s, t in self.missing_file + self.missing_column],
            columns=["tbl", "key"],
        )
        con.register("f_blocked_df", blocked)
        con.execute("create or replace table f_blocked as select * from f_blocked_df")
        con.unregister("f_blocked_df")
        self.blocked = set(blocked.itertuples(index=False, name=None))
        self.row_keys = {s.key for s in used}
        self.touched: set[tuple[str, str, int]] = set()
        self.format_rows: list[tuple[str, str, int, str]] = []  # (table, key, rn, kind)
        usid_by_key = pd.DataFrame(
            {
                "key": [s.key for s in subs],
                "usid": [s.usid for s in subs],
                "eligible": [s.key in self.row_keys for s in subs],
            }
        )
        con.register("f_subs_df", usid_by_key)
        con.execute("create or replace table f_subs as select * from f_subs_df")
        con.unregister("f_subs_df")

    # -- helpers ---------------------------------------------------------------------------
    def _n(self, rows: int) -> int:
        return max(1, round(self.rate * rows / 10))

    def _file(self, key: str, table: str) -> str:
        return f"iapt_v2/{self.subs[key].folder}/{table}.csv"

    def _candidates(
        self, table: str, where: str = "true", cols: str = "", full: bool = False
    ) -> list[tuple] | _Candidates:
        """Rows of eligible submissions matching ``where`` and not yet faulted.

        Returns a lazy set (only keys and row numbers fetched) unless ``full``.
        """
        extra = f", {cols}" if cols and full else ""
        res = self.con.execute(
            f"select t.key, t.rn{extra} from t_{table} t join f_subs f on f.key = t.key "
            f"where f.eligible and ({where}) and not exists (select 1 from f_blocked b "
            f"where b.tbl = '{table}' and b.key = t.key) order by t.key, t.rn"
        )
        if full:
            return [r for r in res.fetchall() if (table, r[0], r[1]) not in self.touched]
        arr = res.fetchnumpy()
        keys, rns = np.asarray(arr["key"], dtype=object), np.asarray(arr["rn"], dtype=np.int64)
        done = [(k, rn) for t, k, rn in self.touched if t == table]
        if done:
            mask = ~pd.MultiIndex.from_arrays([keys, rns]).isin(done)
            keys, rns = keys[mask], rns[mask]
        return _Candidates(table, cols, keys, rns)

    def _take(self, rows: list[tuple] | _Candidates, n: int) -> list[tuple]:
        size = len(rows.keys) if isinstance(rows, _Candidates) else len(rows)
        if not size:
            return []
        idx = np.sort(self.rng.choice(size, size=min(n, size), replace=False))
        if not isinstance(rows, _Candidates):
            return [rows[i] for i in idx]
        picked = pd.DataFrame({"key": rows.keys[idx], "rn": rows.rns[idx]})
        if not rows.cols:
            return list(picked.itertuples(index=False, name=None))
        self.con.register("f_pick_df", picked)
        out = self.con.execute(
            f"select t.key, t.rn, {rows.cols} from t_{rows.table} t "
            "join f_pick_df p on p.key = t.key and p.rn = t.rn order by t.key, t.rn"
        ).fetchall()
        self.con.unregister("f_pick_df")
        return out

    def _set(self, table: str, column: str, updates: list[tuple[str, int, str | None]]) -> None:
        if not updates:
            return
        df = pd.DataFrame(updates, columns=["key", "rn", "val"]).astype({"val": "string"})
        self.con.register("f_upd_df", df)
        self.con.execute(
            f'update t_{table} t set "{column}" = u.val from f_upd_df u '
            "where t.key = u.key and t.rn = u.rn"
        )
        self.con.unregister("f_upd_df")

    def _mark(self, table: str, key: str, rn: int) -> None:
        self.touched.add((table, key, rn))

    # -- per table -------------------------------------------------------------------------
    def apply(self, table: str) -> None:
        total = self.con.execute(f"select count(*) from t_{table}").fetchone()[0]
        if table == "IDS101_Referral":
            self.con.execute(
                "create or replace table f_no_event as "
                "select t.key, t.rn from t_IDS101_Referral t "
                "left join f_events e on e.key = t.key and e.pid = t.PathwayID "
                "where e.key is null"
            )
        for kind, column, value in ROW_FAULTS.get(table, []):
            where = "true"
            if table == "IDS101_Referral" and kind in REJECTIONS:
                where = NO_EVENT
            if table == "IDS201_CareContact" and column == "TherapyType":
                where = "t.TherapyType is not null"
            picked = self._take(
                self._candidates(table, where, f't."{ID_COLUMN[table]}", t."{column}"'),
                self._n(total),
            )
            updates = []
            for key, rn, ident, _current in picked:
                s = self.subs[key]
                val = None
                if value is not None:
                    other = self.rng.choice(
                        [k for k in self.subs if k != key and k not in self.copies]
                    )
                    val = value.format(
                        year=s.period_start.strftime("%Y"),
                        ym=s.period_start.strftime("%Y-%m"),
                        other_usid=self.subs[str(other)].usid,
                        rn7=f"{len(self.touched):07d}",
                        dmy=s.period_start.strftime("15/%m/%Y"),
                    )
                new_id = val if column == ID_COLUMN[table] else ident
                updates.append((key, rn, val))
                self._mark(table, key, rn)
                rejected = 1 if kind in REJECTIONS else 0
                self.log.add(kind, table, self._file(key, table), rn, new_id, rejected)
            self._set(table, column, updates)
        getattr(self, f"_extra_{table}", lambda: None)()
        if table in FORMAT_FAULT_TABLES:
            self._plan_format_faults(table, total)

    def _plan_format_faults(self, table: str, total: int) -> None:
        """Rows whose written line format_faults damages (not otherwise faulted)."""
        for kind in FORMAT_FAULTS:
            picked = self._take(
                self._candidates(table, "true", f't."{ID_COLUMN[table]}"'), self._n(total)
            )
            for key, rn, ident in picked:
                self._mark(table, key, rn)
                self.format_rows.append((table, key, rn, kind))
                self.log.add(kind, table, self._file(key, table), rn, ident, 1)

    def _extra_IDS201_CareContact(self) -> None:
        table = "IDS201_CareContact"
        total = self.con.execute(f"select count(*) from t_{table}").fetchone()[0]
        self._duplicate(table, "CareContactId", "true", total)
        self._invalid_therapy(total)
        self._outside_window(table, total)
        self._out_of_period(table, total)

    def _extra_IDS606_CodedScoreAssessment(self) -> None:
        table = "IDS606_CodedScoreAssessment"
        total = self.con.execute(f"select count(*) from t_{table}").fetchone()[0]
        rows = self._take(
            self._candidates(
                table,
                f"t.CodedAssToolType in ('{codes.PHQ9}', '{codes.GAD7}')",
                "t.PathwayID, t.CodedAssToolType",
            ),
            self._n(total),
        )
        updates = []
        for key, rn, pid, tool in rows:
            updates.append((key, rn, OUT_OF_RANGE_SCORE[tool]))
            self._mark(table, key, rn)
            self.log.add("score_out_of_range", table, self._file(key, table), rn, pid, 0)
        self._set(table, "PersScore", updates)
        self._outside_window(table, total)
        self._out_of_period(table, total)

    def _extra_IDS004_EmpStatus(self) -> None:
        table = "IDS004_EmpStatus"
        total = self.con.execute(f"select count(*) from t_{table}").fetchone()[0]
        self._out_of_period(table, total)

    def _extra_IDS101_Referral(self) -> None:
        table = "IDS101_Referral"
        total = self.con.execute(f"select count(*) from t_{table}").fetchone()[0]
        self._duplicate(table, "PathwayID", NO_EVENT, total)
        closing = "t.EndCode is not null"
        rows = self._take(self._candidates(table, closing, "t.PathwayID"), self._n(total))
        self._set(table, "EndCode", [(k, rn, "51") for k, rn, _ in rows])
        for key, rn, pid in rows:
            self._mark(table, key, rn)
            self.log.add("invalid_code", table, self._file(key, table), rn, pid, 0)
        rows = self._take(
            self._candidates(table, closing, "t.PathwayID, t.ReferralRequestReceivedDate"),
            self._n(total),
        )
        updates = []
        for key, rn, pid, rdate in rows:
            d = np.datetime64(rdate) - np.timedelta64(int(self.rng.integers(1, 40)), "D")
            updates.append((key, rn, str(d)))
            self._mark(table, key, rn)
            self.log.add("discharge_before_referral", table, self._file(key, table), rn, pid, 0)
        self._set(table, "ServDischDate", updates)

    def _invalid_therapy(self, total: int) -> None:
        table = "IDS201_CareContact"
        rows = self._take(
            self._candidates(table, "t.TherapyType is not null", "t.CareContactId"),
            self._n(total),
        )
        self._set(table, "TherapyType", [(k, rn, "123456789") for k, rn, _ in rows])
        for key, rn, cid in rows:
            self._mark(table, key, rn)
            self.log.add("invalid_code", table, self._file(key, table), rn, cid, 0)

    def _duplicate(self, table: str, column: str, where: str, total: int) -> None:
        """Give a second row of the same file the key of a first: both are rejected."""
        rows = self._candidates(table, where, f't."{column}"', full=True)
        by_key: dict[str, list[tuple]] = defaultdict(list)
        for r in rows:
            by_key[r[0]].append(r)
        keys = sorted(k for k, v in by_key.items() if len(v) >= 2)
        for i in self._take([(k,) for k in keys], max(1, self._n(total) // 2)):
            pair = self._take(by_key[i[0]], 2)
            (key, rn_a, ident), (_, rn_b, _) = pair
            self._set(table, column, [(key, rn_b, ident)])
            for rn in (rn_a, rn_b):
                self._mark(table, key, rn)
                self.log.add("duplicate_key", table, self._file(key, table), rn, ident, 1)

    def _outside_window(self, table: str, total: int) -> None:
        """An in-period event dated before its referral was received."""
        col = DATE_COLUMN[table]
        rows = self._take(
            self._candidates(
                table,
                f"try_cast(t.{col} as date) is not null and exists (select 1 from g_ref r "
                f"join g_subs s on s.key = t.key join g_months mo on mo.m = s.m "
                f"where 'PW' || lpad(cast(r.i as varchar), 10, '0') = t.PathwayID "
                f"and r.ref_date > mo.month_start)",
                f"t.{ID_COLUMN[table]}, "
                "(select cast(mo.month_start as varchar) from g_subs s join g_months mo "
                "on mo.m = s.m where s.key = t.key)",
            ),
            self._n(total),
        )
        updates = []
        for key, rn, ident, month_start in rows:
            updates.append((key, rn, month_start))
            self._mark(table, key, rn)
            self.log.add(
                "event_outside_referral_window", table, self._file(key, table), rn, ident, 0
            )
        self._set(table, col, updates)

    def _out_of_period(self, table: str, total: int) -> None:
        """Re-send an event of one month in the provider's next used submission."""
        cols = ", ".join(f'"{c}"' for c in TABLE_COLUMNS[table])
        nxt = self.con.execute(
            "select a.key, b.key from g_subs a join g_subs b on b.prov = a.prov "
            "and b.m = a.m + 1 join f_subs fa on fa.key = a.key join f_subs fb on fb.key = b.key "
            "where fa.eligible and fb.eligible order by a.key"
        ).fetchall()
        if not nxt:
            return
        pairs = {a: b for a, b in nxt if (table, b) not in self.blocked}
        where = "t.key in (" + ", ".join(f"'{k}'" for k in pairs) + ")"
        if table != "IDS004_EmpStatus":
            # the referral must be in the next submission's IDS101, or the copy is an orphan
            where += (
                " and exists (select 1 from g_ref r join g_subs s on s.key = t.key "
                "where 'PW' || lpad(cast(r.i as varchar), 10, '0') = t.PathwayID "
                "and r.disch_m > s.m)"
            )
        rows = self._take(self._candidates(table, where), self._n(total))
        for key, rn in rows:
            target = pairs[key]
            new_rn = self.con.execute(
                f"select coalesce(max(rn), 0) + 1 from t_{table} where key = ?", [target]
            ).fetchone()[0]
            self.con.execute(
                f"insert into t_{table} (key, rn, {cols}) select ?, ?, "
                + ", ".join(
                    "?" if c == "UniqueSubmissionID" else f'"{c}"' for c in TABLE_COLUMNS[table]
                )
                + f" from t_{table} where key = ? and rn = ?",
                [target, new_rn, str(self.subs[target].usid), key, rn],
            )
            ident = self.con.execute(
                f'select "{ID_COLUMN[table]}" from t_{table} where key = ? and rn = ?',
                [target, new_rn],
            ).fetchone()[0]
            self._mark(table, key, rn)
            self._mark(table, target, new_rn)
            self.log.add("out_of_period_event", table, self._file(target, table), new_rn, ident, 0)

    def record_events(self) -> None:
        """Remember which (submission, PathwayID) pairs have events (after event faults)."""
        self.con.execute(
            "create or replace table f_events as "
            "select distinct key, PathwayID as pid from t_IDS201_CareContact "
            "union select distinct key, PathwayID from t_IDS606_CodedScoreAssessment"
        )


def plan_header_copies(
    rng: np.random.Generator, subs: list[Submission], rate: float
) -> tuple[list[Submission], dict[str, str]]:
    """Extra folders re-sending a used submission, without a header or with two header rows.

    They are generated like any submission (same rows as their source) and get no other
    fault; their source keeps its own (row) faults, if any.
    """
    used = [s for s in subs if not (s.file_type == "Primary" and s.has_refresh)]
    n = max(1, round(rate * len(subs) * 0.25))
    picks = rng.choice(len(used), size=2 * n, replace=len(used) < 2 * n)
    copies, kinds = [], {}
    for j, i in enumerate(picks):
        src = used[int(i)]
        kind = "missing_header" if j % 2 == 0 else "bad_header_row_count"
        usid = COPY_SUBMISSION_ID + j  # a re-send gets its own id
        copy = replace(src, key=f"{src.key}_resent{j}", folder=f"{src.folder}_resent{j}", usid=usid)
        copies.append(copy)
        kinds[copy.key] = kind
    return copies, kinds


def file_faults(faults: RecordFaults, root: Path, log: FaultLog, next_usid: int) -> None:
    """Whole-file and whole-folder faults, applied to the written files."""
    for s, table in faults.missing_file:
        (root / "iapt_v2" / s.folder / f"{table}.csv").unlink()
        log.add("missing_file", table, f"iapt_v2/{s.folder}/{table}.csv", None, None, 0)
    for s, table in faults.missing_column:
        path = root / "iapt_v2" / s.folder / f"{table}.csv"
        drop = "ConsMechanism" if table == "IDS201_CareContact" else "CodedAssToolType"
        n = _drop_column(path, drop)
        log.add("missing_column", table, f"iapt_v2/{s.folder}/{table}.csv", None, None, n)
    for i, (key, kind) in enumerate(sorted(faults.copies.items())):
        s = faults.subs[key]
        folder = root / "iapt_v2" / s.folder
        header = folder / "IDS000_Header.csv"
        if kind == "missing_header":
            header.unlink()
        else:
            with header.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
            second = list(rows[1])
            second[0] = str(next_usid + i)
            with header.open("a", newline="", encoding="utf-8") as fh:
                csv.writer(fh, lineterminator="\n").writerow(second)
        for table in TABLE_COLUMNS:
            path = folder / f"{table}.csv"
            if path.exists():
                n = _data_rows(path)
                log.add(kind, table, f"iapt_v2/{s.folder}/{table}.csv", None, None, n)


def format_faults(faults: RecordFaults, root: Path) -> None:
    """Damage the text of the planned lines of the written files (data row rn is physical
    line rn + 1): one field too many, an opening quote never closed, a byte that is not
    UTF-8. The reader rejects exactly that line and keeps the others."""
    by_file: dict[Path, list[tuple[int, str]]] = defaultdict(list)
    for table, key, rn, kind in faults.format_rows:
        by_file[root / faults._file(key, table)].append((rn, kind))
    for path, damages in by_file.items():
        lines = path.read_bytes().split(b"\n")
        for rn, kind in damages:
            first, rest = lines[rn].split(b",", 1)
            if kind == "malformed_row":
                lines[rn] = lines[rn] + b",X"
            elif kind == "unterminated_quote":
                lines[rn] = first + b',"' + rest
            else:
                lines[rn] = first + b",\xff" + rest
        path.write_bytes(b"\n".join(lines))


def duplicate_folders(
    rng: np.random.Generator, faults: RecordFaults, root: Path, log: FaultLog
) -> None:
    """Re-delivered folders: an exact copy of a used submission's folder, and a second
    folder with the same UniqueSubmissionID whose header has a later SubmittedAt.

    Both are named ``<source>_redelivered<j>`` (so they sort after their source, which
    keeps the id: docs/ingest.md) and every data row of their files is rejected as
    ``duplicate_submission_id``. Sources are used submissions without whole-file faults,
    each used once (on a tiny set, folders with a missing file or column too, and as many
    as there are). Own random stream: the other faults are the same with or without it.
    """
    blocked = {key for _, key in faults.blocked}
    used = sorted(key for key in faults.row_keys if key not in faults.copies)
    sources = [key for key in used if key not in blocked]
    n = max(1, round(faults.rate * len(faults.subs) * 0.25))
    if len(sources) < 2 * n:
        sources += [key for key in used if key in blocked]
    picks = rng.choice(len(sources), size=min(2 * n, len(sources)), replace=False)
    for j, i in enumerate(sorted(int(p) for p in picks)):
        s = faults.subs[sources[i]]
        src = root / "iapt_v2" / s.folder
        dst = src.with_name(f"{src.name}_redelivered{j}")
        shutil.copytree(src, dst)
        if j % 2 == 1:  # same id, different content: a later SubmittedAt
            _shift_submitted_at(dst / "IDS000_Header.csv")
        for table in TABLE_COLUMNS:
            path = dst / f"{table}.csv"
            if path.exists():
                file = f"iapt_v2/{dst.relative_to(root / 'iapt_v2').as_posix()}/{table}.csv"
                rows = _data_rows(path)
                log.add("duplicate_submission_id", table, file, None, str(s.usid), rows)


def _shift_submitted_at(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("SubmittedAt")
    at = dt.datetime.strptime(rows[1][column], "%Y-%m-%d %H:%M:%S") + dt.timedelta(hours=1)
    rows[1][column] = at.strftime("%Y-%m-%d %H:%M:%S")
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _data_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def _drop_column(path: Path, column: str) -> int:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    i = rows[0].index(column)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for r in rows:
            w.writerow(r[:i] + r[i + 1 :])
    return len(rows) - 1
