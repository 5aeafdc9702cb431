{#-
    Rows kept but flagged in staging, per accepted submission, flag kind and source
    table: one row per submission and kind, zero counts included. Each staging table is
    read once; contacts and scores, as events, are joined to their referral once for the
    window check.
    fct_data_quality_issues sums them over submissions (a file belongs to one
    submission, so file counts add up).
-#}
{#- (issue kind, source table, CTE of counts per submission, file and table, column prefix) -#}
{%- set flags = [
    ('score_out_of_range', 'IDS606_CodedScoreAssessment', 'event_flags', 'out_of_range'),
    ('out_of_period_event', 'IDS201_CareContact', 'event_flags', 'out_of_period'),
    ('out_of_period_event', 'IDS606_CodedScoreAssessment', 'event_flags', 'out_of_period'),
    ('out_of_period_event', 'IDS004_EmpStatus', 'employment_status_flags', 'out_of_period'),
    ('discharge_before_referral', 'IDS101_Referral', 'referral_flags', 'discharge_before'),
    ('event_outside_referral_window', 'IDS201_CareContact', 'event_flags', 'outside_window'),
    ('event_outside_referral_window', 'IDS606_CodedScoreAssessment', 'event_flags',
        'outside_window')
] -%}

with

submissions as (
    select
        unique_submission_id,
        provider_code,
        reporting_period_start
    from {{ ref('stg_iapt_v2__headers') }}
),

referrals as (select * from {{ ref('stg_iapt_v2__referrals') }}),

care_contacts as (select * from {{ ref('stg_iapt_v2__care_contacts') }}),

coded_scores as (select * from {{ ref('stg_iapt_v2__coded_scores') }}),

employment_statuses as (select * from {{ ref('stg_iapt_v2__employment_statuses') }}),

referral_windows as (

    select
        unique_submission_id,
        source_file,
        pathway_id,
        referral_received_date,
        discharge_date,
        is_discharge_before_referral
    from referrals

),

events as (

    select
        unique_submission_id,
        source_file,
        'IDS201_CareContact' as source_table,
        pathway_id,
        care_contact_date as event_date,
        is_out_of_period,
        cast(null as boolean) as is_out_of_range
    from care_contacts

    union all

    select
        unique_submission_id,
        source_file,
        'IDS606_CodedScoreAssessment' as source_table,
        pathway_id,
        score_date as event_date,
        is_out_of_period,
        not is_score_in_range as is_out_of_range
    from coded_scores

),

referral_flags as (

    select
        unique_submission_id,
        source_file,
        'IDS101_Referral' as source_table,
        {{ dq_flag_count('is_discharge_before_referral', 'discharge_before') }}
    from referral_windows
    group by unique_submission_id, source_file

),

event_flags as (

    -- outside window: in their month but dated before their referral or after its
    -- discharge (PathwayID is unique per submission among accepted referrals)
    select
        events.unique_submission_id,
        events.source_file,
        events.source_table,
        {{ dq_flag_count('events.is_out_of_range', 'out_of_range') }},
        {{ dq_flag_count('events.is_out_of_period', 'out_of_period') }},
        {{ dq_flag_count(
            'not coalesce(events.is_out_of_period, false)'
            ~ ' and (events.event_date < referral_windows.referral_received_date'
            ~ ' or events.event_date > referral_windows.discharge_date)',
            'outside_window') }}
    from events
    left join referral_windows
        on
            events.unique_submission_id = referral_windows.unique_submission_id
            and events.pathway_id = referral_windows.pathway_id
    group by events.unique_submission_id, events.source_file, events.source_table

),

employment_status_flags as (

    select
        unique_submission_id,
        source_file,
        'IDS004_EmpStatus' as source_table,
        {{ dq_flag_count('is_out_of_period', 'out_of_period') }}
    from employment_statuses
    group by unique_submission_id, source_file

),

flag_kinds as (

    {% for issue_kind, source_table, counts, prefix in flags %}
        select
            '{{ issue_kind }}' as issue_kind,
            '{{ source_table }}' as source_table
        {{- " union all" if not loop.last }}
    {% endfor %}

),

file_flags as (

    {% for issue_kind, source_table, counts, prefix in flags %}
        select
            unique_submission_id,
            '{{ issue_kind }}' as issue_kind,
            '{{ source_table }}' as source_table,
            {{ prefix }}_rows as row_count
        from {{ counts }}
        where source_table = '{{ source_table }}'
        {{- " union all" if not loop.last }}
    {% endfor %}

),

flag_totals as (

    select
        unique_submission_id,
        issue_kind,
        source_table,
        sum(row_count) as row_count,
        sum(case when row_count > 0 then 1 else 0 end) as file_count
    from file_flags
    group by unique_submission_id, issue_kind, source_table

),

final as (

    select
        submissions.unique_submission_id,
        submissions.provider_code,
        submissions.reporting_period_start,
        flag_kinds.issue_kind,
        flag_kinds.source_table,
        cast(coalesce(flag_totals.row_count, 0) as bigint) as row_count,
        cast(coalesce(flag_totals.file_count, 0) as bigint) as file_count
    from submissions
    cross join flag_kinds
    left join flag_totals
        on
            submissions.unique_submission_id = flag_totals.unique_submission_id
            and flag_kinds.issue_kind = flag_totals.issue_kind
            and flag_kinds.source_table = flag_totals.source_table

)

select * from final
