"""The raw-file contract, read from its one home: `vars: raw_contract` in dbt_project.yml.

dbt's ingest macros read the same block (macros/ingest/ingest_contract.sql); the generator,
the raw-file inventory, the data-quality suites and the tests read it through this module,
so a column added to the contract reaches all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from iapt_tools.settings import PROJECT_ROOT

ROLES = ("key", "required", "optional")
TYPES = ("text", "date", "timestamp", "bigint", "integer", "decimal")


@dataclass(frozen=True)
class ContractColumn:
    raw: str  # the CSV header name, e.g. "PathwayID"
    name: str  # the snake_case warehouse name, e.g. "pathway_id"
    type: str  # one of TYPES
    role: str  # one of ROLES
    pattern: str | None = None  # a regex the whole value matches
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class ContractTable:
    entity: str  # e.g. "referrals" (models are named after it)
    source_table: str  # the file stem, e.g. "IDS101_Referral"
    columns: tuple[ContractColumn, ...]
    duplicate_key: str | None = None
    orphan_check: bool = False
    must_have_rows: bool = False  # a header-only file is a bad delivery (empty_file)

    @property
    def raw_columns(self) -> list[str]:
        return [column.raw for column in self.columns]

    def column(self, name: str) -> ContractColumn:
        """The column with this snake_case or raw name."""
        for column in self.columns:
            if name in (column.name, column.raw):
                return column
        raise KeyError(f"{self.source_table} has no column {name}")


@dataclass(frozen=True)
class RejectionReason:
    reason: str
    description: str
    row_format: bool = False  # a line that is not a record (no header row)


@dataclass(frozen=True)
class RawContract:
    tables: dict[str, ContractTable]  # by entity, in contract order
    rejection_reasons: tuple[RejectionReason, ...] = field(default=())

    def by_source(self, source_table: str) -> ContractTable:
        for table in self.tables.values():
            if table.source_table == source_table:
                return table
        raise KeyError(f"no contract table {source_table}")

    @property
    def iapt_v2_tables(self) -> list[ContractTable]:
        """The seven Part A tables of a monthly submission, in contract order."""
        return [t for t in self.tables.values() if t.entity != "quarterly_returns"]

    @property
    def iapt_v2_files(self) -> list[str]:
        """The file stems of a submission folder, in contract order."""
        return [t.source_table for t in self.iapt_v2_tables]

    @property
    def must_have_rows(self) -> list[str]:
        """The file stems whose header-only file is rejected as empty_file."""
        return [t.source_table for t in self.tables.values() if t.must_have_rows]

    @property
    def kpi_returns(self) -> ContractTable:
        return self.tables["quarterly_returns"]


def _column(entry: list) -> ContractColumn:
    raw, name, type_, role, *rest = entry
    rules = rest[0] if rest else {}
    if type_ not in TYPES or role not in ROLES:
        raise ValueError(f"raw_contract column {raw}: type {type_!r} or role {role!r} unknown")
    return ContractColumn(
        raw=raw,
        name=name,
        type=type_,
        role=role,
        pattern=rules.get("pattern"),
        minimum=rules.get("min"),
        maximum=rules.get("max"),
    )


def parse_contract(block: dict) -> RawContract:
    """A RawContract from the `raw_contract` mapping of dbt_project.yml's vars."""
    tables = {
        entity: ContractTable(
            entity=entity,
            source_table=spec["source_table"],
            columns=tuple(_column(entry) for entry in spec["columns"]),
            duplicate_key=spec.get("duplicate_key"),
            orphan_check=bool(spec.get("orphan_check", False)),
            must_have_rows=bool(spec.get("must_have_rows", False)),
        )
        for entity, spec in block["tables"].items()
    }
    reasons = tuple(
        RejectionReason(r["reason"], r["description"], bool(r.get("row_format", False)))
        for r in block["rejection_reasons"]
    )
    return RawContract(tables=tables, rejection_reasons=reasons)


@cache
def project_vars(project_root: Path = PROJECT_ROOT) -> dict:
    """The `vars` of dbt_project.yml at project_root (default: this checkout)."""
    with (project_root / "dbt_project.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


@cache
def load_contract(project_root: Path = PROJECT_ROOT) -> RawContract:
    """The contract of the project at project_root (default: this checkout)."""
    return parse_contract(project_vars(project_root)["raw_contract"])
