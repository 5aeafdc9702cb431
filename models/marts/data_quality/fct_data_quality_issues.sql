{#-
    Every kind of input problem, counted once per source table: rejected rows by
    reason (fct_raw_row_rejections), rows kept but flagged in staging, and KPI
    validation queries. The kinds are the reason codes, flags and query codes of
    docs/architecture.md, so they line up with the generator's faults_manifest.json.
    Counts cover all accepted rows, including those of superseded submissions.
-#}
with

rejections as (

    select * from {{ ref('fct_raw_row_rejections') }}

),

vodim as (

    select * from {{ ref('fct_data_quality_vodim') }}

),

referrals as (

    select * from {{ ref('stg_iapt_v2__referrals') }}

),

care_contacts as (

    select * from {{ ref('stg_iapt_v2__care_contacts') }}

),

coded_scores as (

    select * from {{ ref('stg_iapt_v2__coded_scores') }}

),

employment_statuses as (

    select * from {{ ref('stg_iapt_v2__employment_statuses') }}

),

kpi_queries as (

    select * from {{ ref('fct_kpi_validation_queries') }}

),

rejected as (

    select
        'rejection' as issue_category,
        reason_code as issue_kind,
        source_table,
        count(source_row_number) as row_count,
        count(*) as occurrence_count,
        count(distinct source_file) as file_count
    from rejections
    group by reason_code, source_table

),

invalid_codes as (

    select
        'flag' as issue_category,
        'invalid_code' as issue_kind,
        source_table,
        sum(invalid_count) as row_count,
        sum(invalid_count) as occurrence_count,
        cast(null as bigint) as file_count
    from vodim
    where check_type = 'code_list'
    group by source_table

),

flag_rows as (

    select
        'score_out_of_range' as issue_kind,
        'IDS606_CodedScoreAssessment' as source_table,
        source_file
    from coded_scores
    where not is_score_in_range

    union all

    select
        'out_of_period_event' as issue_kind,
        'IDS201_CareContact' as source_table,
        source_file
    from care_contacts
    where is_out_of_period

    union all

    select
        'out_of_period_event' as issue_kind,
        'IDS606_CodedScoreAssessment' as source_table,
        source_file
    from coded_scores
    where is_out_of_period

    union all

    select
        'out_of_period_event' as issue_kind,
        'IDS004_EmpStatus' as source_table,
        source_file
    from employment_statuses
    where is_out_of_period

    union all

    select
        'discharge_before_referral' as issue_kind,
        'IDS101_Referral' as source_table,
        source_file
    from referrals
    where is_discharge_before_referral

    union all

    select
        'event_outside_referral_window' as issue_kind,
        'IDS201_CareContact' as source_table,
        care_contacts.source_file
    from care_contacts
    inner join referrals
        on
            care_contacts.unique_submission_id = referrals.unique_submission_id
            and care_contacts.pathway_id = referrals.pathway_id
    where
        not coalesce(care_contacts.is_out_of_period, false)
        and (
            care_contacts.care_contact_date < referrals.referral_received_date
            or care_contacts.care_contact_date > referrals.discharge_date
        )

    union all

    select
        'event_outside_referral_window' as issue_kind,
        'IDS606_CodedScoreAssessment' as source_table,
        coded_scores.source_file
    from coded_scores
    inner join referrals
        on
            coded_scores.unique_submission_id = referrals.unique_submission_id
            and coded_scores.pathway_id = referrals.pathway_id
    where
        not coalesce(coded_scores.is_out_of_period, false)
        and (
            coded_scores.score_date < referrals.referral_received_date
            or coded_scores.score_date > referrals.discharge_date
        )

),

flagged as (

    select
        'flag' as issue_category,
        issue_kind,
        source_table,
        count(*) as row_count,
        count(*) as occurrence_count,
        count(distinct source_file) as file_count
    from flag_rows
    group by issue_kind, source_table

),

queried as (

    select
        'kpi_validation_query' as issue_category,
        query_code as issue_kind,
        'kpi_returns' as source_table,
        cast(0 as bigint) as row_count,
        count(*) as occurrence_count,
        cast(null as bigint) as file_count
    from kpi_queries
    group by query_code

),

unioned as (

    select * from rejected
    union all
    select * from invalid_codes
    union all
    select * from flagged
    union all
    select * from queried

),

final as (

    select
        issue_category,
        issue_kind,
        source_table,
        cast(row_count as bigint) as row_count,
        cast(occurrence_count as bigint) as occurrence_count,
        cast(file_count as bigint) as file_count
    from unioned
    where occurrence_count > 0

)

select * from final
