{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ dq_delete_stale_submissions() }}") }}
{#-
    Rows kept but flagged in staging, per accepted submission, flag kind and source
    table: one row per submission and kind, zero counts included. Incremental by
    submission (macros/data_quality/incremental_by_submission.sql): a build counts only
    new or re-read submissions. fct_data_quality_issues sums them over submissions
    (a file belongs to one submission, so file counts add up).
-#}
{%- set flags = [
    ('score_out_of_range', 'IDS606_CodedScoreAssessment'),
    ('out_of_period_event', 'IDS201_CareContact'),
    ('out_of_period_event', 'IDS606_CodedScoreAssessment'),
    ('out_of_period_event', 'IDS004_EmpStatus'),
    ('discharge_before_referral', 'IDS101_Referral'),
    ('event_outside_referral_window', 'IDS201_CareContact'),
    ('event_outside_referral_window', 'IDS606_CodedScoreAssessment')
] -%}

with

submissions as (
    {{ dq_submissions_to_count() }}
),

referrals as (
    {{ dq_rows_to_count('stg_iapt_v2__referrals') }}
),

care_contacts as (
    {{ dq_rows_to_count('stg_iapt_v2__care_contacts') }}
),

coded_scores as (
    {{ dq_rows_to_count('stg_iapt_v2__coded_scores') }}
),

employment_statuses as (
    {{ dq_rows_to_count('stg_iapt_v2__employment_statuses') }}
),

flag_kinds as (

    {% for issue_kind, source_table in flags %}
        select
            '{{ issue_kind }}' as issue_kind,
            '{{ source_table }}' as source_table
        {{- " union all" if not loop.last }}
    {% endfor %}

),

flag_rows as (

    select
        unique_submission_id,
        'score_out_of_range' as issue_kind,
        'IDS606_CodedScoreAssessment' as source_table,
        source_file
    from coded_scores
    where not is_score_in_range

    union all

    select
        unique_submission_id,
        'out_of_period_event' as issue_kind,
        'IDS201_CareContact' as source_table,
        source_file
    from care_contacts
    where is_out_of_period

    union all

    select
        unique_submission_id,
        'out_of_period_event' as issue_kind,
        'IDS606_CodedScoreAssessment' as source_table,
        source_file
    from coded_scores
    where is_out_of_period

    union all

    select
        unique_submission_id,
        'out_of_period_event' as issue_kind,
        'IDS004_EmpStatus' as source_table,
        source_file
    from employment_statuses
    where is_out_of_period

    union all

    select
        unique_submission_id,
        'discharge_before_referral' as issue_kind,
        'IDS101_Referral' as source_table,
        source_file
    from referrals
    where is_discharge_before_referral

    union all

    select
        care_contacts.unique_submission_id,
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
        coded_scores.unique_submission_id,
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

flag_counts as (

    select
        unique_submission_id,
        issue_kind,
        source_table,
        count(*) as row_count,
        count(distinct source_file) as file_count
    from flag_rows
    group by unique_submission_id, issue_kind, source_table

),

final as (

    select
        submissions.unique_submission_id,
        submissions.provider_code,
        submissions.reporting_period_start,
        flag_kinds.issue_kind,
        flag_kinds.source_table,
        cast(coalesce(flag_counts.row_count, 0) as bigint) as row_count,
        cast(coalesce(flag_counts.file_count, 0) as bigint) as file_count,
        submissions.folder_signature,
        submissions.code_lists_signature
    from submissions
    cross join flag_kinds
    left join flag_counts
        on
            submissions.unique_submission_id = flag_counts.unique_submission_id
            and flag_kinds.issue_kind = flag_counts.issue_kind
            and flag_kinds.source_table = flag_counts.source_table

)

select * from final
