"""Synthetic national-scale staging tables for timing the data-quality run.

    python -m iapt_tools.data_quality.bench --warehouse target/dq-bench.duckdb --scale 1.0

Fills the staging relations (and the small marts the data-quality models read) of a
warehouse that already holds the seeds (`dbt seed`), with `scale` x (5M referral rows,
15M care contacts, 15M scores, 4M patients, 5M complaints, 3M employment rows) over
200 providers x 12 months; about 0.5% of codes are invalid. Then run
`dbt run --select models/marts/data_quality` and scripts/run_data_quality.py on it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from iapt_tools.generator.codes import GAD7, PHQ9

PROVIDERS = 200
MONTHS = 12
SUBMISSIONS = PROVIDERS * MONTHS


def _code(list_name: str, salt: str) -> str:
    """A code from a seed list by hash of the row, 0.5% replaced by an invalid code."""
    return (
        f"case when hash(i, '{salt}') % 200 = 0 then 'BAD' else "
        f"list_element({list_name}, 1 + (hash(i, '{salt}x') % len({list_name}))::integer) end"
    )


def _validity(column: str, defaults: str) -> str:
    return (
        f"case when {column} is null then 'missing' when {column} = 'BAD' then 'invalid'"
        f" when {column} in ({defaults}) then 'default' else 'valid' end"
    )


def build(warehouse: Path, scale: float) -> dict[str, int]:
    n = {
        "referrals": int(5_000_000 * scale),
        "contacts": int(15_000_000 * scale),
        "scores": int(15_000_000 * scale),
        "patients": int(4_000_000 * scale),
        "complaints": int(5_000_000 * scale),
        "employment": int(3_000_000 * scale),
    }
    linked = max(n["referrals"] // SUBMISSIONS, 1) * SUBMISSIONS  # same submission
    con = duckdb.connect(str(warehouse))
    con.execute("set preserve_insertion_order = false")
    for schema in ("staging", "marts"):
        con.execute(f"create schema if not exists {schema}")
    lists = ", ".join(
        f"(select list(code) from reference.{name}) as {name}"
        for name in [
            "code_gender",
            "code_ethnic_category",
            "code_source_of_referral",
            "code_end_code",
            "code_appointment_type",
            "code_attendance",
            "code_consultation_mechanism",
            "code_therapy_type",
            "code_employment_status",
            "code_indicator",
        ]
    )
    sub = f"""
        (i % {SUBMISSIONS}) + 1 as unique_submission_id,
        'P' || lpad(((i % {SUBMISSIONS}) % {PROVIDERS})::varchar, 3, '0') as provider_code,
        (date '2024-04-01' + to_months(((i % {SUBMISSIONS}) // {PROVIDERS})::integer))::date
            as reporting_period_start,
        'iapt_v2/s' || ((i % {SUBMISSIONS}) + 1) || '/f.csv' as source_file,
        i // {SUBMISSIONS} + 1 as source_row_number
    """
    stmts = {
        "staging.stg_iapt_v2__headers": f"""
            select source_file, source_row_number, unique_submission_id, provider_code,
                reporting_period_start, last_day(reporting_period_start) as reporting_period_end,
                'Primary' as file_type, now()::timestamp as submitted_at,
                '2.1' as data_set_version, 's' || unique_submission_id as submission_folder
            from (select {sub} from range({SUBMISSIONS}) as t(i))""",
        "staging.stg_iapt_v2__patients": f"""
            select *, {_validity("gender_code", "'X'")} as gender_validity,
                {_validity("ethnic_category", "'Z', '99'")} as ethnic_category_validity
            from (select {sub}, 'PAT' || (i // {SUBMISSIONS}) as local_patient_id,
                {_code("code_gender", "g")} as gender_code,
                {_code("code_ethnic_category", "e")} as ethnic_category,
                'E01' || lpad((i % 32844)::varchar, 6, '0') as lsoa_2011
              from range({n["patients"]}) as t(i), (select {lists}))""",
        "staging.stg_iapt_v2__referrals": f"""
            select * exclude (end_code_any),
                {_validity("source_of_referral", "'-'")} as source_of_referral_validity,
                discharge_date_submitted as discharge_date,
                false as is_discharge_before_referral,
                case when discharge_date_submitted is null then null
                     else end_code_any end as end_code,
                case when discharge_date_submitted is null then 'missing'
                    when end_code_any = 'BAD' then 'invalid' else 'valid' end
                    as end_code_validity
            from (select {sub}, 'SR' || i as service_request_id, 'PWY' || i as pathway_id,
                'PAT' || (i // {SUBMISSIONS} % {max(n["patients"] // SUBMISSIONS, 1)})
                    as local_patient_id,
                '5A3' as commissioner_code,
                (date '2024-03-01' + to_days((i % 28)::integer))::date
                    as referral_received_date,
                {_code("code_source_of_referral", "s")} as source_of_referral,
                (18 + i % 60)::integer as age_at_referral,
                case when i % 4 = 0 then date '2024-04-28' end as discharge_date_submitted,
                {_code("code_end_code", "c")} as end_code_any
              from range({n["referrals"]}) as t(i), (select {lists}))""",
        "staging.stg_iapt_v2__presenting_complaints": f"""
            select {sub}, 'PWY' || i as pathway_id, 'F411' as presenting_complaint_code,
                '1' as presenting_complaint_significance,
                date '2024-03-01' as presenting_complaint_date
            from range({n["complaints"]}) as t(i)""",
        "staging.stg_iapt_v2__care_contacts": f"""
            select *, {_validity("appointment_type", "'-'")} as appointment_type_validity,
                {_validity("attendance_code", "'-'")} as attendance_code_validity,
                {_validity("consultation_mechanism", "'-'")}
                    as consultation_mechanism_validity,
                {_validity("therapy_type", "'-'")} as therapy_type_validity,
                care_contact_date > last_day(reporting_period_start) as is_out_of_period
            from (select {sub}, 'CC' || i as care_contact_id,
                'PWY' || (i % {linked}) as pathway_id,
                (reporting_period_start + to_days((i % 31)::integer))::date as care_contact_date,
                {_code("code_appointment_type", "a")} as appointment_type,
                {_code("code_attendance", "t")} as attendance_code,
                {_code("code_consultation_mechanism", "m")} as consultation_mechanism,
                case when i % 2 = 0 then {_code("code_therapy_type", "y")} end as therapy_type
              from range({n["contacts"]}) as t(i), (select {lists}))""",
        "staging.stg_iapt_v2__coded_scores": f"""
            select *, score between 0 and case when questionnaire_code = '{PHQ9}'
                    then 27 else 21 end as is_score_in_range,
                false as is_out_of_period
            from (select {sub}, 'PWY' || (i % {linked}) as pathway_id,
                'CC' || i as care_contact_id,
                case when i % 2 = 0 then '{PHQ9}' else '{GAD7}' end
                    as questionnaire_code,
                (i % 23)::decimal(18, 6) as score,
                (reporting_period_start + to_days((i % 28)::integer))::date as score_date
              from range({n["scores"]}) as t(i))""",
        "staging.stg_iapt_v2__employment_statuses": f"""
            select *, {_validity("employment_status", "'ZZ'")} as employment_status_validity,
                {_validity("ssp_indicator", "'U', 'Z'")} as ssp_indicator_validity,
                {_validity("benefit_indicator", "'U', 'Z'")} as benefit_indicator_validity,
                false as is_out_of_period
            from (select {sub}, 'PAT' || (i // {SUBMISSIONS}) as local_patient_id,
                {_code("code_employment_status", "p")} as employment_status,
                (reporting_period_start + to_days((i % 28)::integer))::date
                    as employment_status_date,
                {_code("code_indicator", "k")} as ssp_indicator,
                {_code("code_indicator", "b")} as benefit_indicator
              from range({n["employment"]}) as t(i), (select {lists}))""",
        "staging.stg_kpi_returns__quarterly_returns": """
            select 'k.csv' as source_file, 1::bigint as source_row_number,
                '2012-13 Q1' as quarter_label, date '2012-04-01' as quarter_start,
                date '2012-06-30' as quarter_end, pct_code, 'Original' as return_type,
                now()::timestamp as submitted_at, false as is_nil_return,
                null::varchar as nil_return_reason, 1000::bigint as level_of_need,
                50::bigint as referrals_received, 40::bigint as entered_treatment,
                5::bigint as waiting_over_28_days, 20::bigint as completed_treatment,
                2::bigint as not_at_caseness_at_start, 9::bigint as moved_to_recovery,
                1::bigint as moved_off_sick_pay_or_benefits
            from reference.org_pct_2011_12""",
        "marts.dim_submissions": """
            select unique_submission_id, provider_code, reporting_period_start,
                reporting_period_end, file_type, submitted_at, submission_folder,
                true as is_used, 'used' as selection_reason,
                null::bigint as superseded_by_submission_id
            from staging.stg_iapt_v2__headers""",
        "marts.fct_raw_row_rejections": """
            select 'IDS201_CareContact' as source_table, 'x.csv' as source_file,
                3::bigint as source_row_number, 's1' as submission_folder,
                1::bigint as unique_submission_id, 'orphan_event' as reason_code,
                'orphan' as reason""",
        "marts.fct_raw_file_reconciliation": """
            select 'IDS201_CareContact' as source_table, 'x.csv' as source_file,
                10::bigint as raw_rows, 9::bigint as accepted_rows, 1::bigint as rejected_rows,
                true as is_reconciled""",
        "marts.fct_kpi_validation_queries": """
            select date '2012-04-01' as quarter_start, '5A3' as pct_code,
                'Original' as return_type, 'negative_count' as query_code, 'q' as query
            where false""",
        "marts.fct_referral_episodes": """
            select pathway_id, provider_code, discharge_date, discharge_date is not null
                    and hash(pathway_id) % 3 > 0 as is_finished_course,
                hash(pathway_id) % 2 = 0 as has_paired_scores,
                'Depression' as problem_descriptor, commissioner_code as pct_code,
                'UNKNOWN' as ccg_code
            from staging.stg_iapt_v2__referrals where unique_submission_id > 2200""",
    }
    for name, sql in stmts.items():
        started = time.perf_counter()
        con.execute(f"create or replace table {name} as {sql}")
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)
    rows = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in stmts}
    con.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    for name, count in build(args.warehouse, args.scale).items():
        print(f"{name}: {count:,} rows")


if __name__ == "__main__":
    main()
