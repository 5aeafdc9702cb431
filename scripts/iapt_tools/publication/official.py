"""The release's files in NHS England's own layout (docs/publication.md, "Official
layout"), built in DuckDB from marts.measures and three reference seeds:
`publication_group_types` (official GROUP_TYPE and England org names of the period's
era), `publication_breakdown_labels` (the quarterly files' VARIABLE_TYPE/_A/_B) and
`official_measure_dictionary` (which measure ids are official).

The temporary table `official` holds every row of every official file, disclosed by
the same SQL as measures.csv, sorted by file then publication order; each file is a
COPY of its rows. Nothing here holds the rows in Python."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from iapt_tools.publication.disclosure import published_value_sql
from iapt_tools.publication.layout import (
    CHANGE_ON_PREVIOUS_PREFIX,
    Scope,
    count_unique_rows,
    sql_literal,
)

OFFICIAL = "official"  # the temporary table holding the official files' rows
VALUE_COLUMN = "MEASURE_VALUE_SUPPRESSED"
MONTHLY_COLUMNS: tuple[str, ...] = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "GROUP_TYPE",
    "ORG_CODE1",
    "ORG_NAME1",
    "ORG_CODE2",
    "ORG_NAME2",
    "MEASURE_ID",
    "MEASURE_NAME",
    VALUE_COLUMN,
)
# Quarterly and annual files: the monthly columns plus the breakdown of the official
# quarterly files (VARIABLE_TYPE / VARIABLE_A / VARIABLE_B; 'Total' for all records).
QUARTERLY_COLUMNS: tuple[str, ...] = (
    *MONTHLY_COLUMNS[:7],
    "VARIABLE_TYPE",
    "VARIABLE_A",
    "VARIABLE_B",
    *MONTHLY_COLUMNS[7:],
)
KEY_COLUMNS: tuple[str, ...] = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "GROUP_TYPE",
    "ORG_CODE1",
    "ORG_CODE2",
    "VARIABLE_TYPE",
    "VARIABLE_A",
    "VARIABLE_B",
    "MEASURE_ID",
)
# Official group types in publication order, every era (PCT, CCG, Sub-ICB).
OFFICIAL_GROUP_ORDER = (
    "England",
    "SHA",
    "CommissioningRegion",
    "PCT",
    "CCG",
    "SubICB",
    "Provider",
    "PCT/Provider",
    "CCG/Provider",
    "SubICB/Provider",
    "PCT-Provider",
    "CCG-Provider",
    "SubICB-Provider",
)
KPI_RETURNS_FILE = "kpi_returns.csv"


@dataclass(frozen=True)
class OfficialFile:
    name: str
    kind: str  # monthly, quarterly, annual, kpi_returns
    columns: tuple[str, ...]
    rows: int
    suppressed: int
    period_start: str
    period_end: str
    statuses: tuple[str, ...]
    group_types: tuple[str, ...]
    additional: bool  # measures outside the official dictionary (K…)

    def describe(self) -> dict[str, object]:
        return {
            "file": self.name,
            "kind": self.kind,
            "columns": list(self.columns),
            "rows": self.rows,
            "suppressed_values": self.suppressed,
            "first_period_start": self.period_start,
            "last_period_end": self.period_end,
            "status": list(self.statuses),
            "group_types": list(self.group_types),
            "measures": "project-defined (not in the NHS England measure dictionary)"
            if self.additional
            else "NHS England measure dictionary ids and names",
        }


def _file_name_sql(scope: Scope) -> str:
    """SQL: the file a row goes to. Periods published at every level get a file of
    their own with the status in its name (monthly_2013-01_provisional.csv); older
    England rows (the time series) go to england_<kind>_series.csv; measures outside
    the official dictionary go to files prefixed additional_; KPI returns to their own
    file."""
    kind = "case period_type when 'month' then 'monthly' when 'quarter' then 'quarterly'" \
        " else 'annual' end"  # fmt: skip
    label = (
        "case when period_type = 'month' then strftime(reporting_period_start, '%Y-%m')"
        " else strftime(reporting_period_start, '%Y-%m') || '_'"
        " || strftime(reporting_period_end, '%Y-%m') end"
    )
    detail = f"reporting_period_end >= date '{scope.detail_from.isoformat()}'"
    return (
        f"case when source = 'kpi_return' then '{KPI_RETURNS_FILE}' else"
        " (case when in_dictionary then '' else 'additional_' end)"
        f" || case when {detail} then {kind} || '_' || {label} || '_' || lower(status)"
        f" else 'england_' || {kind} || '_series' end || '.csv' end"
    )


def _case(column: str, order: tuple[str, ...]) -> str:
    whens = " ".join(f"when '{value}' then {rank}" for rank, value in enumerate(order))
    return f"case {column} {whens} else 99 end"


def create_official(con: duckdb.DuckDBPyConnection, scope: Scope) -> int:
    """Create the temporary table `official` (every official file's rows, sorted by file
    and publication order); returns its rows. Breakdown values that share an official
    label (age bands 26-35 … 56-64 → '26 to 64') are added up before disclosure:
    counts, numerators and denominators are summed and the rate recomputed; a mean is
    the summed numerator (the sum of its values) over the summed denominator; a median
    cannot be had from its parts and is published empty (not defined)."""
    con.execute(
        f"""
        create or replace temp table {OFFICIAL} as
        with dictionary as (
            select distinct measure_id from reference.official_measure_dictionary
            where measure_type <> 'Variable'
        ),
        selected as (
            select m.*, lower(c.measure_type) as measure_type,
                   starts_with(m.measure_name, '{CHANGE_ON_PREVIOUS_PREFIX}')
                       as is_change_on_previous,
                   d.measure_id is not null as in_dictionary
            from marts.measures m
            join reference.measure_catalogue c on c.measure_id = m.measure_id
            left join dictionary d on d.measure_id = m.measure_id
            where {scope.where_sql("m")}
              -- official monthly files carry no breakdowns (those are quarterly)
              and (m.period_type <> 'month' or m.breakdown = 'Total')
        ),
        labelled as (
            select s.*, g.official_group_type, g.quarterly_group_type,
                   g.all_commissioners_name, g.all_providers_name,
                   l.variable_type, l.variable_a, l.variable_b
            from selected s
            join reference.publication_group_types g
              on g.source = s.source and g.group_type = s.group_type
             and s.reporting_period_start between g.era_start and g.era_end
            join reference.publication_breakdown_labels l
              on l.breakdown = s.breakdown and l.breakdown_value = s.breakdown_value
        ),
        grouped as (
            select source, period_type, reporting_period_start, reporting_period_end, status,
                   group_type, official_group_type, quarterly_group_type,
                   org_code1, org_code2,
                   all_commissioners_name, all_providers_name,
                   any_value(org_name1) as org_name1, any_value(org_name2) as org_name2,
                   variable_type, variable_a, variable_b,
                   measure_id, measure_name, measure_type, is_change_on_previous, in_dictionary,
                   sum(numerator) as numerator, sum(denominator) as denominator,
                   case when count(*) = 1 then any_value(measure_value)
                        when measure_type = 'count' then sum(measure_value)
                        when measure_type = 'percentage' and sum(denominator) > 0
                            then 100 * sum(numerator) / sum(denominator)
                        when measure_type = 'percentage' then null
                        -- a mean's numerator is the sum of its values
                        when measure_type = 'mean' and sum(denominator) > 0
                            then sum(numerator) / sum(denominator)
                        -- a median cannot be had from its parts: not defined
                        else null
                   end as measure_value
            from labelled
            group by source, period_type, reporting_period_start, reporting_period_end, status,
                     group_type, official_group_type, quarterly_group_type, org_code1,
                     org_code2, all_commissioners_name, all_providers_name, variable_type,
                     variable_a, variable_b, measure_id, measure_name, measure_type,
                     is_change_on_previous, in_dictionary
        )
        select {_file_name_sql(scope)} as file, source, period_type,
               reporting_period_start as REPORTING_PERIOD_START,
               reporting_period_end as REPORTING_PERIOD_END, status as STATUS,
               case when period_type = 'month' or source = 'kpi_return'
                    then official_group_type else quarterly_group_type end as GROUP_TYPE,
               org_code1 as ORG_CODE1,
               case when org_code1 = 'all' then all_commissioners_name else org_name1 end
                   as ORG_NAME1,
               org_code2 as ORG_CODE2,
               case when org_code2 = 'all' then all_providers_name else org_name2 end
                   as ORG_NAME2,
               variable_type as VARIABLE_TYPE, variable_a as VARIABLE_A,
               variable_b as VARIABLE_B,
               measure_id as MEASURE_ID, measure_name as MEASURE_NAME,
               {published_value_sql()} as {VALUE_COLUMN},
               group_type as project_group_type, measure_type
        from grouped
        order by file, {_case("GROUP_TYPE", OFFICIAL_GROUP_ORDER)}, GROUP_TYPE,
                 period_type, REPORTING_PERIOD_START, ORG_CODE1, ORG_CODE2,
                 VARIABLE_TYPE <> 'Total', VARIABLE_TYPE, VARIABLE_A, VARIABLE_B, MEASURE_ID
        """
    )
    return count_unique_rows(
        con, OFFICIAL, ("file", *KEY_COLUMNS), "duplicate key in an official file:"
    )


def _columns_for(name: str) -> tuple[str, ...]:
    is_breakdown_file = "quarterly" in name or "annual" in name
    return QUARTERLY_COLUMNS if is_breakdown_file else MONTHLY_COLUMNS


def _kind(name: str) -> str:
    for kind in ("monthly", "quarterly", "annual"):
        if kind in name:
            return kind
    return "kpi_returns"


def write_files(con: duckdb.DuckDBPyConnection, folder: Path) -> list[OfficialFile]:
    """One CSV per file of `official` (DuckDB COPY, dates YYYY-MM-DD, `*` suppressed,
    empty = not defined); returns what was written, in file-name order."""
    summary = con.execute(
        f"""
        select file, count(*), count(*) filter (where {VALUE_COLUMN} = '*'),
               strftime(min(REPORTING_PERIOD_START), '%Y-%m-%d'),
               strftime(max(REPORTING_PERIOD_END), '%Y-%m-%d'),
               list(distinct STATUS order by STATUS),
               list(distinct GROUP_TYPE order by GROUP_TYPE)
        from {OFFICIAL} group by file order by file
        """
    ).fetchall()
    files = []
    for name, rows, suppressed, start, end, statuses, groups in summary:
        columns = _columns_for(name)
        select = ", ".join(columns)
        con.execute(
            f"copy (select {select} from {OFFICIAL} where file = {sql_literal(name)}"
            f" order by rowid) to {sql_literal(str(folder / name))} (header, delimiter ',')"
        )
        files.append(
            OfficialFile(
                name=name,
                kind=_kind(name),
                columns=columns,
                rows=int(rows),
                suppressed=int(suppressed),
                period_start=start,
                period_end=end,
                statuses=tuple(statuses),
                group_types=tuple(g for g in OFFICIAL_GROUP_ORDER if g in groups)
                + tuple(sorted(g for g in groups if g not in OFFICIAL_GROUP_ORDER)),
                additional=name.startswith("additional_"),
            )
        )
    return files


def era_group_types(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The official monthly group types of each era (for the metadata and tests)."""
    rows = con.execute(
        "select era, list(official_group_type order by era_start, official_group_type)"
        " from reference.publication_group_types where source = 'record_level'"
        " group by era order by min(era_start)"
    ).fetchall()
    return {era: list(groups) for era, groups in rows}
