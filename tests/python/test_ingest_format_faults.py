"""Damaged raw files: each fault is rejected with its reason and physical line, every
other row of the file and of the build is loaded, and every file reconciles with the
independent line count (docs/ingest.md, "Format faults").

One corpus, one `dbt build`: `tests/fixtures/raw_format_faults/template` (one tiny valid
submission, 20 data rows) is copied into one folder per case, with its own
UniqueSubmissionID, provider and PathwayIDs, and the case's mutation is applied
(fixtures that git cannot hold, e.g. a FIFO or a dangling link, are made here).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from test_ingest_support import INGEST_SELECTION, PROJECT_ROOT, DbtRun, run_dbt

TEMPLATE = PROJECT_ROOT / "tests" / "fixtures" / "raw_format_faults" / "template"
HDR, MPI, REF = "IDS000_Header.csv", "IDS001_MPI.csv", "IDS101_Referral.csv"
PC, CC, SC, EMP = (
    "IDS603_PresentingComplaints.csv",
    "IDS201_CareContact.csv",
    "IDS606_CodedScoreAssessment.csv",
    "IDS004_EmpStatus.csv",
)
TEMPLATE_ROWS = 20


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def _write(path: Path, lines: list[bytes], end: bytes = b"\n") -> None:
    path.write_bytes(b"".join(line + end for line in lines))


def _edit_line(name: str, number: int, old: bytes, new: bytes) -> Callable[[Path], None]:
    """Replace old by new on physical line `number` (1 = the header line)."""

    def mutate(folder: Path) -> None:
        lines = _lines(folder / name)
        assert old in lines[number - 1], (name, number, old)
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
        _write(folder / name, lines)

    return mutate


def _blank_lines(folder: Path) -> None:
    lines = _lines(folder / EMP)
    _write(folder / EMP, [*lines[:2], b"", *lines[2:], b"   "])


def _utf16(folder: Path) -> None:
    path = folder / MPI
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _empty(folder: Path) -> None:
    (folder / REF).write_bytes(b"")


def _header_only(folder: Path) -> None:
    _write(folder / REF, _lines(folder / REF)[:1])


def _directory(folder: Path) -> None:
    (folder / EMP).unlink()
    (folder / EMP).mkdir()


def _fifo(folder: Path) -> None:
    (folder / PC).unlink()
    os.mkfifo(folder / PC)


def _dangling(folder: Path) -> None:
    (folder / SC).unlink()
    (folder / SC).symlink_to(folder / "gone.csv")


def _misnamed(folder: Path) -> None:
    (folder / CC).rename(folder / "IDS201_CareContact.CSV")


def _trailing_comma(folder: Path) -> None:
    _write(folder / CC, [line + b"," for line in _lines(folder / CC)])


def _crlf_quoted(folder: Path) -> None:
    lines = _lines(folder / REF)
    lines[1] = lines[1].replace(b",S1,", b',"S,1",')
    lines[2] = lines[2].replace(b",5A3,", b',"5A3",')
    _write(folder / REF, lines, end=b"\r\n")


def _header_blank(folder: Path) -> None:
    _write(folder / HDR, [*_lines(folder / HDR), b""])


# case: (mutation, expected rejections as (file, physical line or None, reason), rows
# accepted in the folder). Worked out by hand from the template: referral PW2 is line 3
# of IDS101; its contact C2 is line 3 of IDS201 and its score line 3 of IDS606.
CASES: dict[str, tuple[Callable[[Path], None] | None, set[tuple], int]] = {
    "ok": (None, set(), 20),
    "unterminated_quote": (
        _edit_line(REF, 3, b",B1,", b',"B1,'),
        {(REF, 3, "unterminated_quote"), (CC, 3, "orphan_event"), (SC, 3, "orphan_event")},
        17,
    ),
    "ragged_rows": (
        lambda folder: (
            _edit_line(CC, 2, b",01,", b",01,X,")(folder),
            _edit_line(SC, 4, b",20,", b",")(folder),
        ),
        {(CC, 2, "malformed_row"), (SC, 4, "malformed_row")},
        18,
    ),
    "blank_lines": (_blank_lines, {(EMP, 3, "blank_line"), (EMP, 5, "blank_line")}, 20),
    "bad_byte": (_edit_line(PC, 3, b"F32", b"F3\xff2"), {(PC, 3, "bad_encoding")}, 19),
    "utf16_file": (_utf16, {(MPI, None, "bad_encoding")}, 17),
    "empty_referrals": (
        _empty,
        {(REF, None, "empty_file")}
        | {(CC, line, "orphan_event") for line in (2, 3, 4, 5)}
        | {(SC, line, "orphan_event") for line in (2, 3, 4)},
        9,
    ),
    "header_only_referrals": (
        _header_only,
        {(REF, None, "empty_file")}
        | {(CC, line, "orphan_event") for line in (2, 3, 4, 5)}
        | {(SC, line, "orphan_event") for line in (2, 3, 4)},
        9,
    ),
    "directory": (_directory, {(EMP, None, "unreadable_file")}, 18),
    "fifo": (_fifo, {(PC, None, "unreadable_file")}, 17),
    "dangling_link": (_dangling, {(SC, None, "unreadable_file")}, 17),
    "misnamed": (
        _misnamed,
        {("IDS201_CareContact.CSV", None, "misnamed_file"), (CC, None, "missing_file")},
        16,
    ),
    "duplicate_column": (
        _edit_line(SC, 1, b",PersScore,", b",CodedAssToolType,"),
        {(SC, None, "duplicate_column")},
        17,
    ),
    "trailing_comma": (_trailing_comma, set(), 20),
    "crlf_quoted": (_crlf_quoted, set(), 20),
    "header_blank_line": (_header_blank, {(HDR, 3, "blank_line")}, 20),
}

STAGING = [
    "stg_iapt_v2__headers", "stg_iapt_v2__patients", "stg_iapt_v2__referrals",
    "stg_iapt_v2__presenting_complaints", "stg_iapt_v2__care_contacts",
    "stg_iapt_v2__coded_scores", "stg_iapt_v2__employment_statuses",
]  # fmt: skip


def _build_corpus(raw: Path) -> None:
    for number, (case, (mutate, _, _)) in enumerate(CASES.items(), start=1):
        folder = raw / "iapt_v2" / case
        folder.mkdir(parents=True)
        provider = f"F{number:02d}"
        for source in TEMPLATE.glob("*.csv"):
            text = source.read_text(encoding="utf-8")
            text = text.replace("9000,", f"{9000 + number},").replace(",PRV,", f",{provider},")
            (folder / source.name).write_text(text.replace(",PW", f",{provider}PW"))
        if mutate is not None:
            mutate(folder)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    work = tmp_path_factory.mktemp("format_faults")
    _build_corpus(work / "raw")
    run = run_dbt(["build", "--select", *INGEST_SELECTION], work / "raw", work)
    assert run.returncode == 0, run.output[-4000:]
    return run


def test_every_fault_is_rejected_with_its_reason_and_physical_line(corpus: DbtRun) -> None:
    rows = corpus.query(
        "select submission_folder, source_file, source_line_number, reason_code "
        "from marts.fct_raw_row_rejections"
    )
    got: dict[str, set[tuple]] = {case: set() for case in CASES}
    for folder, source_file, line, reason in rows:
        got[folder.split("/")[-1]].add((source_file.split("/")[-1], line, reason))
    assert got == {case: expected for case, (_, expected, _) in CASES.items()}


def test_every_other_row_of_the_build_is_loaded(corpus: DbtRun) -> None:
    union = " union all ".join(f"select source_file from staging.{m}" for m in STAGING)
    accepted = dict(
        corpus.query(f"select split_part(source_file, '/', 2), count(*) from ({union}) group by 1")
    )
    assert accepted == {case: rows for case, (_, _, rows) in CASES.items()}
    assert accepted["ok"] == TEMPLATE_ROWS


def test_accepted_rows_keep_their_physical_lines(corpus: DbtRun) -> None:
    # after the blank line 3, P2 is on line 4; line numbers count CRLF lines too
    assert corpus.query(
        "select local_patient_id, source_row_number + 1 "
        "from staging.stg_iapt_v2__employment_statuses "
        "where source_file like 'iapt_v2/blank_lines/%' order by 2"
    ) == [("P1", 2), ("P2", 4)]
    assert corpus.query(
        "select service_request_id, commissioner_code, source_row_number + 1 "
        "from staging.stg_iapt_v2__referrals where source_file like 'iapt_v2/crlf_quoted/%' "
        "order by 3"
    ) == [("S,1", "5A3", 2), ("S2", "5A3", 3), ("S3", "5A3", 4), ("S4", "5A3", 5)]
    assert corpus.query(
        "select source_row_number + 1 from staging.stg_iapt_v2__referrals "
        "where source_file like 'iapt_v2/unterminated_quote/%' order by 1"
    ) == [(2,), (4,), (5,)]


def test_reasons_name_the_problem(corpus: DbtRun) -> None:
    reasons = dict(
        corpus.query(
            "select submission_folder || ' ' || reason_code, reason "
            "from marts.fct_raw_row_rejections "
            "where reason_code not in ('orphan_event', 'missing_file')"
        )
    )
    expected_words = {
        "unterminated_quote unterminated_quote": "line 3",
        "ragged_rows malformed_row": "fields, the header has",
        "bad_byte bad_encoding": "line 3 is not valid UTF-8",
        "utf16_file bad_encoding": "UTF-16",
        "empty_referrals empty_file": "0 bytes",
        "header_only_referrals empty_file": "header line only",
        "directory unreadable_file": "directory",
        "fifo unreadable_file": "not a regular file",
        "dangling_link unreadable_file": "dangling symbolic link",
        "misnamed misnamed_file": "only when case is ignored",
        "duplicate_column duplicate_column": "CodedAssToolType",
    }
    for key, words in expected_words.items():
        assert words in reasons["iapt_v2/" + key], (key, reasons["iapt_v2/" + key])


def test_every_file_reconciles_with_the_independent_count(corpus: DbtRun) -> None:
    assert (
        corpus.scalar(
            "select count(*) from marts.fct_raw_file_reconciliation where not is_reconciled"
        )
        == 0
    )
    counts = {
        row[0].removeprefix("iapt_v2/"): row[1:]
        for row in corpus.query(
            "select source_file, records_in_file, raw_rows, accepted_rows, rejected_rows "
            "from marts.fct_raw_file_reconciliation"
        )
    }
    # (lines after the header, rows the reader returned, accepted, rejected)
    assert counts[f"blank_lines/{EMP}"] == (4, 4, 2, 2)
    assert counts[f"unterminated_quote/{REF}"] == (4, 4, 3, 1)
    assert counts[f"utf16_file/{MPI}"] == (3, 0, 0, 3)
    assert counts["misnamed/IDS201_CareContact.CSV"] == (4, 0, 0, 4)
    assert counts[f"misnamed/{CC}"] == (0, 0, 0, 0)
    assert counts[f"header_blank_line/{HDR}"] == (2, 2, 1, 1)


def test_reader_shortfall_is_rejected_line_by_line(corpus: DbtRun, tmp_path: Path) -> None:
    # A reader that loses lines (as DuckDB's multi-file read_csv once truncated a file at
    # an unterminated quote) is simulated on a copy of the warehouse: two lines of a clean
    # referral file are deleted from its base table, then the ingest marts are rebuilt.
    shutil.copy(corpus.warehouse, tmp_path / "warehouse.duckdb")
    source_file = f"iapt_v2/ok/{REF}"
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        deleted = con.execute(
            "delete from staging.base_iapt_v2__referrals"
            " where source_file = ? and source_row_number in (2, 3)",
            [source_file],
        ).fetchall()
    assert deleted == [(2,)]
    raw = corpus.warehouse.parent / "raw"
    marts = ["fct_raw_row_rejections", "fct_raw_file_reconciliation"]
    rebuilt = run_dbt(["run", "--select", *marts], raw, tmp_path)
    assert rebuilt.returncode == 0, rebuilt.output[-4000:]
    unread = rebuilt.query(
        "select source_line_number, reason_code, reason from marts.fct_raw_row_rejections"
        " where source_file = ? order by 1",
        [source_file],
    )
    assert [(line, code) for line, code, _ in unread] == [(3, "unread_line"), (4, "unread_line")]
    assert "line 3 is in the file" in unread[0][2]
    assert rebuilt.query(
        "select records_in_file, raw_rows, accepted_rows, rejected_rows, is_reconciled"
        " from marts.fct_raw_file_reconciliation where source_file = ?",
        [source_file],
    ) == [(4, 2, 2, 2, False)]
    # the loss fails the build: the reconciliation test names the file
    tested = run_dbt(["test", "--select", "fct_raw_file_reconciliation"], raw, tmp_path)
    assert tested.returncode != 0
    assert "is_reconciled" in tested.output
