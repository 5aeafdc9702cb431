"""Tests of scripts/generate_data.py: contract conformance, semantics, faults, determinism.

The expected values come from the input contract and docs/architecture.md, checked with
independent reads of the generated CSVs (csv module / DuckDB), not the generator's code.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from generate_data import main, parse_args
from iapt_tools.raw_contract import load_contract
from iapt_tools.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
# What the generator must write: the raw contract (vars raw_contract in dbt_project.yml),
# the layout the warehouse reads.
RAW_CONTRACT = load_contract()
CONTRACT = {t.source_table: t.raw_columns for t in RAW_CONTRACT.iapt_v2_tables}
KPI_CONTRACT = RAW_CONTRACT.kpi_returns.raw_columns
SQL_TYPES = {"bigint": "bigint", "integer": "integer", "decimal": "decimal(18,6)"}
TYPES = {  # column -> duckdb type that must parse (Part A files)
    c.raw: SQL_TYPES.get(c.type, c.type)
    for t in RAW_CONTRACT.iapt_v2_tables
    for c in t.columns
    if c.type != "text"
}
REQUIRED = {  # keys and dating columns that must never be empty in clean data
    t.source_table: [c.raw for c in t.columns if c.role in ("key", "required")]
    for t in RAW_CONTRACT.iapt_v2_tables
}
CODE_LISTS = {  # (table, column) -> seed code list
    ("IDS001_MPI", "Gender"): "code_gender",
    ("IDS001_MPI", "EthnicCategory"): "code_ethnic_category",
    ("IDS101_Referral", "SourceOfReferralIAPT"): "code_source_of_referral",
    ("IDS101_Referral", "EndCode"): "code_end_code",
    ("IDS201_CareContact", "AppType"): "code_appointment_type",
    ("IDS201_CareContact", "AttendOrDNACode"): "code_attendance",
    ("IDS201_CareContact", "ConsMechanism"): "code_consultation_mechanism",
    ("IDS201_CareContact", "TherapyType"): "code_therapy_type",
    ("IDS606_CodedScoreAssessment", "CodedAssToolType"): "code_questionnaire",
    ("IDS004_EmpStatus", "EmployStatus"): "code_employment_status",
    ("IDS004_EmpStatus", "SSPInd"): "code_indicator",
    ("IDS004_EmpStatus", "BenefitRecInd"): "code_indicator",
    ("IDS603_PresentingComplaints", "PresCompCodSig"): "code_presenting_complaint_significance",
}
ALL_FAULT_KINDS = {
    # rejection reason codes (docs/architecture.md)
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
    "unknown_org_code",
    "unparseable_quarter",
    "unknown_return_type",
    "late_resubmission",
    # format faults (the text of one line)
    "malformed_row",
    "unterminated_quote",
    "bad_encoding",
    "duplicate_submission_id",
    # flags
    "invalid_code",
    "score_out_of_range",
    "out_of_period_event",
    "discharge_before_referral",
    "event_outside_referral_window",
    # KPI validation queries
    "negative_count",
    "recovery_exceeds_eligible",
    "not_at_caseness_exceeds_completed",
    "missing_level_of_need",
    "unknown_count",
    "missing_return",
    "superseded_original",
}
SMALL = ["--start", "2012-10", "--months", "15", "--referrals", "1500", "--providers", "4"]
SMALL += ["--seed", "11", "--refresh-rate", "0.3", "--kpi-returns"]


def _run(out: Path, *extra: str) -> Path:
    assert main(["--out", str(out), *SMALL, *extra]) == 0
    return out


@pytest.fixture(scope="session")
def clean(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("clean") / "raw", "--fault-rate", "0")


@pytest.fixture(scope="session")
def faulty(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("faulty") / "raw", "--fault-rate", "0.01")


def _read(path: Path) -> list[dict[str, str]]:
    """Rows by physical line, as the warehouse reads them (docs/ingest.md): a damaged line
    (format fault) stays on its line instead of swallowing the next ones."""
    lines = path.read_bytes().decode("utf-8", errors="surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header, *rows = [next(csv.reader([line])) if line else [] for line in lines]
    return [dict(zip(header, row, strict=False)) for row in rows]


def _line(root: Path, item: dict) -> bytes:
    """The raw bytes of a manifest item's line (data row n is physical line n + 1)."""
    return (root / item["file"]).read_bytes().split(b"\n")[item["row"]]


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _folders(root: Path) -> list[Path]:
    return sorted({p.parent for p in (root / "iapt_v2").rglob("*.csv")})


def _codes(seed: str) -> set[str]:
    return {r["code"] for r in _read(SEEDS / "code_lists" / f"{seed}.csv")}


_CONS: dict[Path, duckdb.DuckDBPyConnection] = {}


def _con(root: Path) -> duckdb.DuckDBPyConnection:
    """The raw tables of a run, read once (all text) into an in-memory DuckDB."""
    if root not in _CONS:
        con = duckdb.connect()
        for table in CONTRACT:
            con.execute(
                f"create table {table} as select * from read_csv("
                f"'{root}/iapt_v2/**/{table}.csv', all_varchar = true, filename = true, "
                "union_by_name = true)"
            )
        _CONS[root] = con
    return _CONS[root].cursor()


# ---- contract conformance ------------------------------------------------------------------
def test_every_submission_has_seven_files_with_exact_columns(clean):
    folders = _folders(clean)
    assert len(folders) >= 4 * 15
    for folder in folders:
        assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(CONTRACT)
        for table, columns in CONTRACT.items():
            assert _header(folder / f"{table}.csv") == columns, (folder, table)


def test_one_header_row_per_submission_and_ids_match(clean):
    usids = []
    for folder in _folders(clean):
        rows = _read(folder / "IDS000_Header.csv")
        assert len(rows) == 1
        usids.append(rows[0]["UniqueSubmissionID"])
        for table in CONTRACT:
            assert {r["UniqueSubmissionID"] for r in _read(folder / f"{table}.csv")} <= {
                rows[0]["UniqueSubmissionID"]
            }
    assert len(set(usids)) == len(usids)


def test_values_parse_and_required_values_present(clean):
    con = _con(clean)
    for table, columns in CONTRACT.items():
        for col in columns:
            if col in TYPES:
                bad = con.execute(
                    f'select count(*) from {table} where "{col}" is not null '
                    f'and try_cast("{col}" as {TYPES[col]}) is null'
                ).fetchone()[0]
                assert bad == 0, (table, col)
        for col in REQUIRED[table]:
            missing = con.execute(f'select count(*) from {table} where "{col}" is null').fetchone()
            assert missing[0] == 0, (table, col)


def test_codes_are_within_the_code_lists(clean):
    con = _con(clean)
    for (table, col), seed in CODE_LISTS.items():
        seen = {r[0] for r in con.execute(f'select distinct "{col}" from {table}').fetchall()}
        seen.discard(None)
        assert seen, (table, col)
        assert seen <= _codes(seed), (table, col, seen - _codes(seed))
    providers = {r["provider_code"] for r in _read(SEEDS / "organisations/org_iapt_providers.csv")}
    got = {r[0] for r in con.execute("select distinct OrgIDProv from IDS000_Header").fetchall()}
    assert len(got) == 4 and got <= providers


def test_commissioners_are_pcts_before_april_2013_and_ccgs_after(clean):
    con = _con(clean)
    pcts = {r["pct_code"] for r in _read(SEEDS / "organisations/org_pct_2011_12.csv")}
    ccgs = {r["ccg_code"] for r in _read(SEEDS / "organisations/org_ccg_2013_14.csv")}
    rows = con.execute(
        "select h.ReportingPeriodStartDate < '2013-04-01', r.OrgIDComm, count(*) "
        "from IDS101_Referral r join IDS000_Header h using (UniqueSubmissionID) group by all"
    ).fetchall()
    total = sum(n for _, _, n in rows)
    unknown = 0
    for pct_era, code, n in rows:
        if code in (pcts if pct_era else ccgs):
            continue
        unknown += n
    assert 0 < unknown < 0.03 * total  # about 1% null or unknown commissioner codes


def _commissioners_by_month(root: Path) -> dict[str, set[str]]:
    """Submission month -> the OrgIDComm values of its referrals (null and X98 left out)."""
    rows = (
        _con(root)
        .execute(
            "select cast(h.ReportingPeriodStartDate as varchar), r.OrgIDComm "
            "from IDS101_Referral r join IDS000_Header h using (UniqueSubmissionID) "
            "where r.OrgIDComm is not null and r.OrgIDComm != 'X98' group by all"
        )
        .fetchall()
    )
    found: dict[str, set[str]] = {}
    for month, code in rows:
        found.setdefault(month, set()).add(code)
    return found


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # the last 2021/22 CCG month and the first Sub-ICB month
        ("2022-06", 2, {"2022-06-01": "ccg21", "2022-07-01": "sub_icb"}),
        # the bench's year: Sub-ICB locations only
        ("2024-04", 2, {"2024-04-01": "sub_icb", "2024-05-01": "sub_icb"}),
        ("2021-03", 2, {"2021-03-01": "ccg", "2021-04-01": "ccg21"}),
    ],
)
def test_commissioners_are_the_code_list_of_the_submission_month(tmp_path, start, months, expected):
    org = SEEDS / "organisations"
    lists = {
        "ccg": {r["ccg_code"] for r in _read(org / "org_ccg_2013_14.csv")},
        "ccg21": {r["ccg_code"] for r in _read(org / "org_ccg_2021_22.csv")},
        "sub_icb": {
            r["sub_icb_code"]
            for r in _read(org / "org_sub_icb_locations.csv")
            if r["edition"] == ("2024-04" if start >= "2024-04" else "2022-07")
        },
    }
    root = tmp_path / "raw"
    args = ["--start", start, "--months", str(months), "--referrals", "800"]
    assert main(["--out", str(root), *args, "--providers", "4", "--seed", "3"]) == 0
    found = _commissioners_by_month(root)
    assert set(found) == set(expected)
    for month, era in expected.items():
        assert found[month] <= lists[era], (month, sorted(found[month] - lists[era]))
    # Sub-ICB and 2021/22 CCG months carry codes no 2013/14 CCG had (16C, 15F, ...)
    later = [m for m, era in expected.items() if era != "ccg"]
    assert all(found[m] - lists["ccg"] for m in later)


# A national month: England's providers and monthly referrals (~1.8M a year), CCG era.
NATIONAL_MONTH = ["--start", "2013-04", "--months", "1", "--referrals", "150000"]
NATIONAL_MONTH += ["--providers", "130", "--seed", "5", "--refresh-rate", "0"]


@pytest.fixture(scope="session")
def national_month(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("national_month") / "raw"
    assert main(["--out", str(out), *NATIONAL_MONTH]) == 0
    return out


def _referrals_by_commissioner(root: Path) -> dict[tuple[bool, str], dict[str | None, int]]:
    """(PCT era?, provider) -> referrals (distinct PathwayID) per OrgIDComm, from the files."""
    con = duckdb.connect()
    rows = con.execute(
        "select h.ReportingPeriodStartDate < '2013-04-01', h.OrgIDProv, r.OrgIDComm, "
        f"count(distinct r.PathwayID) from read_csv('{root}/iapt_v2/**/IDS101_Referral.csv', "
        "all_varchar = true) r join read_csv("
        f"'{root}/iapt_v2/**/IDS000_Header.csv', all_varchar = true) h "
        "using (UniqueSubmissionID) group by all"
    ).fetchall()
    found: dict[tuple[bool, str], dict[str | None, int]] = {}
    for pct_era, prov, comm, n in rows:
        found.setdefault((pct_era, prov), {})[comm] = n
    return found


def _commissioner_regions() -> dict[str, str]:
    """Commissioner code -> its region: the SHA of a PCT, the commissioning region of a CCG."""
    org = SEEDS / "organisations"
    regions = {r["pct_code"]: r["sha_code"] for r in _read(org / "org_pct_2011_12.csv")}
    for r in _read(org / "org_ccg_2013_14.csv"):
        regions[r["ccg_code"]] = r["commissioning_region_code"]
    return regions


@pytest.mark.parametrize("run", ["clean", "national_month"])
def test_each_provider_has_a_main_commissioner_and_at_most_three_others(run, request):
    regions = _commissioner_regions()
    by_provider = _referrals_by_commissioner(request.getfixturevalue(run))
    assert by_provider
    for (pct_era, prov), counts in by_provider.items():
        # null and X98 are the injected missing/unknown codes, not commissioners
        known = {c: n for c, n in counts.items() if c in regions}
        assert 1 <= len(known) <= 4, (pct_era, prov, counts)
        assert max(known.values()) > 0.5 * sum(counts.values()), (pct_era, prov, counts)
        # secondaries are neighbours: one SHA (PCT era) or commissioning region (CCG era)
        assert len({regions[c] for c in known}) == 1, (pct_era, prov, known)


def test_a_national_month_covers_every_ccg(national_month):
    ccgs = {r["ccg_code"] for r in _read(SEEDS / "organisations/org_ccg_2013_14.csv")}
    by_provider = _referrals_by_commissioner(national_month)
    assert len(by_provider) == 130
    assert ccgs <= {c for counts in by_provider.values() for c in counts}
    # a main CCG and 0-3 others per provider: a few hundred pairs, not 130 x 211
    pairs = sum(len(set(counts) & ccgs) for counts in by_provider.values())
    assert len(ccgs) <= pairs <= 4 * 130


# ---- submission semantics ------------------------------------------------------------------
def _used(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table used as select UniqueSubmissionID as usid, OrgIDProv as "
        "prov, cast(ReportingPeriodStartDate as date) as ms, "
        "cast(ReportingPeriodEndDate as date) as me from (select *, row_number() over "
        "(partition by OrgIDProv, ReportingPeriodStartDate order by FileType = 'Refresh' desc) "
        "as k from IDS000_Header) where k = 1"
    )


def test_open_referral_is_resent_every_month_until_it_closes(clean):
    con = _con(clean)
    _used(con)
    rows = con.execute(
        "select r.PathwayID, u.prov, u.ms, r.ServDischDate from IDS101_Referral r "
        "join used u on u.usid = r.UniqueSubmissionID order by 1, 3"
    ).fetchall()
    last_ms = max(r[2] for r in rows)
    by_pid: dict[str, list] = {}
    for pid, prov, ms, disch in rows:
        by_pid.setdefault(pid, []).append((prov, ms, disch))
    closed = 0
    for pid, months in by_pid.items():
        idx = [m.year * 12 + m.month for _, m, _ in months]
        assert idx == list(range(idx[0], idx[0] + len(idx))), pid  # no gaps, no repeats
        assert len({p for p, _, _ in months}) == 1
        # only the last month may carry the discharge; an open referral reaches the end
        assert all(d is None for _, _, d in months[:-1]), pid
        if months[-1][2] is None:
            assert months[-1][1] == last_ms, pid
        else:
            closed += 1
            d = months[-1][2]
            assert d[:7] == months[-1][1].isoformat()[:7], pid  # included in its closing month
    assert closed > 100


def test_events_are_sent_once_in_their_month(clean):
    con = _con(clean)
    _used(con)
    for table, key, date in [
        ("IDS201_CareContact", "CareContactId", "CareContDate"),
        ("IDS004_EmpStatus", "LocalPatientId || EmployStatusRecDate || EmployStatus", None),
    ]:
        dup = con.execute(
            f"select count(*) from (select {key}, count(distinct u.ms) as n from {table} t "
            "join used u on u.usid = t.UniqueSubmissionID group by 1 having n > 1)"
        ).fetchone()[0]
        assert dup == 0, table
        if date:
            out = con.execute(
                f"select count(*) from {table} t join used u on u.usid = t.UniqueSubmissionID "
                f"where cast({date} as date) not between u.ms and u.me"
            ).fetchone()[0]
            assert out == 0
    out = con.execute(
        "select count(*) from IDS606_CodedScoreAssessment t join IDS000_Header h "
        "using (UniqueSubmissionID) where cast(AssToolCompDate as date) not between "
        "cast(h.ReportingPeriodStartDate as date) and cast(h.ReportingPeriodEndDate as date)"
    ).fetchone()[0]
    assert out == 0


def test_refresh_is_a_later_full_resend_of_its_month(clean):
    heads = [_read(f / "IDS000_Header.csv")[0] for f in _folders(clean)]
    refresh = [h for h in heads if h["FileType"] == "Refresh"]
    assert refresh
    for r in refresh:
        (p,) = [
            h
            for h in heads
            if h["FileType"] == "Primary"
            and h["OrgIDProv"] == r["OrgIDProv"]
            and h["ReportingPeriodStartDate"] == r["ReportingPeriodStartDate"]
        ]
        assert r["SubmittedAt"] > p["SubmittedAt"]
        assert int(r["UniqueSubmissionID"]) > int(p["UniqueSubmissionID"])
    con = _con(clean)
    # the refresh holds at least what its primary holds (late-recorded events added)
    diff = con.execute(
        "select sum(case when h.FileType = 'Refresh' then 1 else -1 end) from IDS201_CareContact "
        "c join IDS000_Header h using (UniqueSubmissionID) where (h.OrgIDProv, "
        "h.ReportingPeriodStartDate) in (select (OrgIDProv, ReportingPeriodStartDate) from "
        "IDS000_Header where FileType = 'Refresh')"
    ).fetchone()[0]
    assert diff > 0


def test_no_refresh_without_refresh_rate(tmp_path):
    out = tmp_path / "raw"
    main(["--out", str(out), "--months", "3", "--referrals", "200", "--refresh-rate", "0"])
    types = {_read(f / "IDS000_Header.csv")[0]["FileType"] for f in _folders(out)}
    assert types == {"Primary"}


def test_pathways_are_realistic(clean):
    con = _con(clean)
    end_codes = {
        r[0] for r in con.execute("select distinct EndCode from IDS101_Referral").fetchall()
    }
    assert {"46", "48", "50"} <= end_codes  # finished, dropped out, not assessed
    apps = {r[0] for r in con.execute("select distinct AppType from IDS201_CareContact").fetchall()}
    assert {"01", "02", "06"} <= apps
    att = {
        r[0]
        for r in con.execute("select distinct AttendOrDNACode from IDS201_CareContact").fetchall()
    }
    assert {"3", "5"} <= att
    recoded = con.execute(
        "select count(*) from (select PathwayID from IDS603_PresentingComplaints "
        "where PresCompCodSig = '1' group by UniqueSubmissionID, PathwayID having count(*) > 1)"
    ).fetchone()[0]
    assert recoded > 0


def test_calibration_query_runs_on_clean_data(clean):
    from iapt_tools.generator.calibration import measure

    got = measure(clean)
    assert 0.3 < got["recovery_rate"] < 0.7
    assert 0.5 < got["entered_of_referred"] < 0.9
    assert 5 <= got["median_wait_days"] <= 30


# ---- determinism, CLI ----------------------------------------------------------------------
def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_arguments_give_identical_bytes(tmp_path):
    args = ["--start", "2013-02", "--months", "4", "--referrals", "500", "--providers", "3"]
    args += ["--refresh-rate", "0.5", "--fault-rate", "0.02", "--kpi-returns", "--seed", "5"]
    main(["--out", str(tmp_path / "a"), *args])
    main(["--out", str(tmp_path / "b"), *args])
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a == b and len(a) > 20


def test_refuses_a_non_empty_output_folder(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not empty"):
        main(["--out", str(tmp_path), "--months", "1", "--referrals", "10"])
    assert (tmp_path / "x.txt").exists()


def test_out_defaults_to_iapt_raw_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("IAPT_RAW_DIR", str(tmp_path / "envraw"))
    assert parse_args([]).out == tmp_path / "envraw"


# ---- faults --------------------------------------------------------------------------------
def _manifest(root: Path) -> dict:
    return json.loads((root / "faults_manifest.json").read_text())


def test_clean_run_has_no_faults(clean):
    m = _manifest(clean)
    assert m["faults"] == {}
    assert m["generator_args"]["fault_rate"] == 0


def test_every_fault_kind_is_injected(faulty):
    faults = _manifest(faulty)["faults"]
    assert set(faults) == ALL_FAULT_KINDS
    for kind, f in faults.items():
        assert f["count"] == len(f["items"]) >= 1, kind
        assert set(f) == {"count", "rejected_rows", "items"}
        for item in f["items"]:
            assert set(item) == {"table", "file", "row", "reason_code", "id"}
            assert item["reason_code"] == kind


def test_faults_do_not_overlap(faulty):
    seen: dict[tuple, str] = {}
    for kind, f in _manifest(faulty)["faults"].items():
        for item in f["items"]:
            if item["row"] is None:
                continue
            key = (item["file"], item["row"])
            # the one documented exception: NotAtCaseness > Completed also implies
            # MovedToRecovery > Completed - NotAtCaseness on the same KPI row
            pair = {seen.get(key), kind}
            assert key not in seen or pair == {
                "not_at_caseness_exceeds_completed",
                "recovery_exceeds_eligible",
            }, (key, kind)
            seen[key] = kind
    files = {
        i["file"]
        for k in ("missing_header", "bad_header_row_count", "missing_column")
        for i in _manifest(faulty)["faults"][k]["items"]
    }
    assert not {k[0] for k in seen} & files


def _row(root: Path, item: dict) -> dict[str, str]:
    rows = _read(root / item["file"])
    return rows[item["row"] - 1]


def test_fault_items_point_at_faulty_rows(faulty):
    faults = _manifest(faulty)["faults"]
    con = duckdb.connect()

    def parses(value: str | None, typ: str) -> bool:
        return con.execute(f"select try_cast(? as {typ}) is not null", [value]).fetchone()[0]

    for item in faults["malformed_row"]["items"]:
        header = _line(faulty, {**item, "row": 0})
        assert _line(faulty, item).count(b",") != header.count(b","), item
    for item in faults["unterminated_quote"]["items"]:
        assert _line(faulty, item).count(b'"') % 2 == 1, item
    for item in faults["bad_encoding"]["items"]:
        with pytest.raises(UnicodeDecodeError):
            _line(faulty, item).decode("utf-8")
    for item in faults["missing_key"]["items"]:
        row = _row(faulty, item)
        keys = ["UniqueSubmissionID", "PathwayID", "CareContactId", "LocalPatientId"]
        keys += ["ServiceRequestId"]
        if item["table"] == "IDS606_CodedScoreAssessment":
            keys.remove("CareContactId")  # optional there
        assert any(k in row and row[k] == "" for k in keys), item
    for item in faults["unparseable_value"]["items"]:
        row = _row(faulty, item)
        assert any(c in TYPES and v and not parses(v, TYPES[c]) for c, v in row.items()), item
    for item in faults["missing_value"]["items"]:
        assert "" in _row(faulty, item).values(), item
    for item in faults["orphan_event"]["items"]:
        row = _row(faulty, item)
        ids = {
            r["PathwayID"] for r in _read((faulty / item["file"]).parent / "IDS101_Referral.csv")
        }
        assert row["PathwayID"] not in ids
    for item in faults["submission_id_mismatch"]["items"]:
        head = _read((faulty / item["file"]).parent / "IDS000_Header.csv")[0]
        assert _row(faulty, item)["UniqueSubmissionID"] != head["UniqueSubmissionID"]
    dup = faults["duplicate_key"]
    assert dup["rejected_rows"] == len(dup["items"]) and len(dup["items"]) % 2 == 0
    for item in dup["items"]:
        col = "CareContactId" if item["table"] == "IDS201_CareContact" else "PathwayID"
        same = [r for r in _read(faulty / item["file"]) if r[col] == item["id"]]
        assert len(same) == 2
    for item in faults["score_out_of_range"]["items"]:
        row = _row(faulty, item)
        limit = {"720433000": 27, "445455005": 21}[row["CodedAssToolType"]]
        assert float(row["PersScore"]) > limit
    for item in faults["invalid_code"]["items"]:
        row = _row(faulty, item)
        bad = [
            c
            for (t, c), seed in CODE_LISTS.items()
            if t == item["table"] and row[c] and row[c] not in _codes(seed)
        ]
        assert len(bad) == 1, item
    for item in faults["discharge_before_referral"]["items"]:
        row = _row(faulty, item)
        assert row["ServDischDate"] < row["ReferralRequestReceivedDate"]
    for item in faults["out_of_period_event"]["items"]:
        row = _row(faulty, item)
        head = _read((faulty / item["file"]).parent / "IDS000_Header.csv")[0]
        date = next(v for c, v in row.items() if c.endswith(("Date", "RecDate")))
        assert date < head["ReportingPeriodStartDate"]
    for item in faults["event_outside_referral_window"]["items"]:
        row = _row(faulty, item)
        head = _read((faulty / item["file"]).parent / "IDS000_Header.csv")[0]
        date = row.get("CareContDate") or row["AssToolCompDate"]
        assert date == head["ReportingPeriodStartDate"]
        refs = _read((faulty / item["file"]).parent / "IDS101_Referral.csv")
        (ref,) = [r for r in refs if r["PathwayID"] == row["PathwayID"]]
        assert ref["ReferralRequestReceivedDate"] > date


def test_whole_file_faults(faulty):
    faults = _manifest(faulty)["faults"]
    for item in faults["missing_file"]["items"]:
        assert not (faulty / item["file"]).exists()
        assert (faulty / item["file"]).parent.joinpath("IDS000_Header.csv").exists()
    for kind in ("missing_header", "bad_header_row_count", "missing_column"):
        total = 0
        for item in faults[kind]["items"]:
            path = faulty / item["file"]
            rows = len(_read(path))
            total += rows
            if kind == "missing_column":
                assert set(_header(path)) < set(CONTRACT[item["table"]])
            folder = path.parent
            if kind == "missing_header":
                assert not (folder / "IDS000_Header.csv").exists()
            if kind == "bad_header_row_count":
                assert len(_read(folder / "IDS000_Header.csv")) != 1
        assert faults[kind]["rejected_rows"] == total


# ---- KPI returns ---------------------------------------------------------------------------
def test_kpi_returns(clean):
    files = sorted((clean / "kpi_returns").glob("*.csv"))
    assert files
    rows = [r for f in files for r in _read(f)]
    assert all(_header(f) == KPI_CONTRACT for f in files)
    pcts = {r["pct_code"] for r in _read(SEEDS / "organisations/org_pct_2011_12.csv")}
    quarters = sorted({r["Quarter"] for r in rows})
    assert quarters[0] == "2011-12 Q1" and quarters[-1] == "2012-13 Q4" and len(quarters) == 8
    for q in quarters:
        orig = [r for r in rows if r["Quarter"] == q and r["ReturnType"] == "Original"]
        assert {r["OrgCode"] for r in orig} == pcts and len(orig) == 151
        need = sum(int(r["LevelOfNeed"]) for r in orig)
        assert 5.9e6 < need < 6.3e6
    nil = [r for r in rows if r["NilReturn"] == "Y"]
    assert nil and all(r["LevelOfNeed"] and not r["ReferralsReceived"] for r in nil)
    resub = [r for r in rows if r["ReturnType"] == "Resubmission"]
    assert resub
    for r in resub:
        (o,) = [
            x
            for x in rows
            if x["ReturnType"] == "Original"
            and (x["OrgCode"], x["Quarter"]) == (r["OrgCode"], r["Quarter"])
        ]
        assert r["SubmittedAt"] > o["SubmittedAt"]


def test_kpi_returns_only_for_quarters_ending_by_the_last_month(tmp_path):
    out = tmp_path / "raw"
    main(["--out", str(out), "--start", "2011-06", "--months", "4", "--referrals", "100"])
    assert not (out / "kpi_returns").exists()
    args = ["--start", "2011-06", "--months", "4", "--referrals", "100", "--kpi-returns"]
    main(["--out", str(out), "--force", *args])
    quarters = {r["Quarter"] for f in (out / "kpi_returns").glob("*.csv") for r in _read(f)}
    assert quarters == {"2011-12 Q1", "2011-12 Q2"}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _date(text: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def test_flags_in_the_files_are_exactly_the_manifest_items(faulty):
    """Re-derive every flag from the files (csv module) and compare with the manifest."""
    faults = _manifest(faulty)["faults"]
    lists = {key: _codes(seed) for key, seed in CODE_LISTS.items()}
    found: dict[str, set] = {"invalid_code": set(), "score_out_of_range": set()}
    found["out_of_period_event"] = set()
    found["discharge_before_referral"] = set()
    ranges = {"720433000": 27, "445455005": 21}
    skip = {
        i["file"]
        for k in ("missing_header", "bad_header_row_count", "missing_column")
        for i in faults[k]["items"]
    }
    # a line with a format fault is rejected whole: it carries no flag
    damaged = {
        (i["file"], i["row"])
        for k in ("malformed_row", "unterminated_quote", "bad_encoding")
        for i in faults[k]["items"]
    }
    # re-delivered folders are rejected whole: their copied flags are not flags
    redelivered = {str(Path(i["file"]).parent) for i in faults["duplicate_submission_id"]["items"]}
    for folder in _folders(faulty):
        if str(folder.relative_to(faulty)) in redelivered:
            continue
        head = folder / "IDS000_Header.csv"
        period = _read(head)[0] if head.exists() else None
        for path in sorted(folder.glob("*.csv")):
            rel = str(path.relative_to(faulty))
            if rel in skip:
                continue
            table = path.stem
            for n, row in enumerate(_read(path), start=1):
                if (rel, n) in damaged:
                    continue
                for (t, col), codes in lists.items():
                    if t == table and row[col] and row[col] not in codes:
                        found["invalid_code"].add((rel, n))
                tool = row.get("CodedAssToolType")
                score = _number(row.get("PersScore"))
                if tool in ranges and score is not None and score > ranges[tool]:
                    found["score_out_of_range"].add((rel, n))
                date = _date(
                    row.get("CareContDate")
                    or row.get("AssToolCompDate")
                    or row.get("EmployStatusRecDate")
                )
                if period and date and date < period["ReportingPeriodStartDate"]:
                    found["out_of_period_event"].add((rel, n))
                disch, ref = row.get("ServDischDate"), row.get("ReferralRequestReceivedDate")
                if disch and ref and disch < ref:
                    found["discharge_before_referral"].add((rel, n))
    for kind, rows in found.items():
        expected = {(i["file"], i["row"]) for i in faults[kind]["items"]}
        assert rows == expected, kind


def test_every_kind_even_on_a_tiny_data_set(tmp_path):
    args = ["--start", "2013-02", "--months", "2", "--referrals", "100", "--providers", "1"]
    main(["--out", str(tmp_path / "raw"), *args, "--fault-rate", "0.001", "--kpi-returns"])
    assert set(_manifest(tmp_path / "raw")["faults"]) == ALL_FAULT_KINDS


def test_redelivered_folders(faulty):
    """Exact copies and same-id folders with a later SubmittedAt, every row counted."""
    items = _manifest(faulty)["faults"]["duplicate_submission_id"]
    copies = {str(Path(i["file"]).parent) for i in items["items"]}
    assert len(copies) >= 2
    assert len(items["items"]) == sum(len(list((faulty / c).glob("*.csv"))) for c in copies)
    kinds = set()
    for copy in copies:
        folder = faulty / copy
        source = folder.with_name(folder.name.rsplit("_redelivered", 1)[0])
        assert str(source) < str(folder)  # the source sorts first: it keeps the id
        differing = [
            table
            for table in CONTRACT
            if (folder / f"{table}.csv").read_bytes() != (source / f"{table}.csv").read_bytes()
        ]
        head, source_head = (_read(f / "IDS000_Header.csv")[0] for f in (folder, source))
        assert head["UniqueSubmissionID"] == source_head["UniqueSubmissionID"]
        if differing:
            assert differing == ["IDS000_Header"]
            assert head["SubmittedAt"] > source_head["SubmittedAt"]
        kinds.add(bool(differing))
    assert kinds == {True, False}
    total = sum(len(_read(faulty / i["file"])) for i in items["items"])
    assert items["rejected_rows"] == total
