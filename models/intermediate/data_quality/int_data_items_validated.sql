{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ dq_delete_stale_submissions() }}") }}
{#-
    VODIM counts (Valid, Other, Default, Invalid, Missing) per accepted submission, raw
    table and key data item, over the accepted staging rows: one row per submission and
    item, zero counts included. Code-list items take staging's *_validity column; the
    other items are classified here (see docs/data-quality.md). Incremental by submission
    (macros/data_quality/incremental_by_submission.sql): a build counts only new or
    re-read submissions; fct_data_quality_vodim adds the submission's use and the KPI
    returns.
-#}
{%- set items = [
    ('patients', 'IDS001_MPI', 'gender_code', 'code_list', 'gender_validity', 'true'),
    ('patients', 'IDS001_MPI', 'ethnic_category', 'code_list', 'ethnic_category_validity',
        'true'),
    ('patients', 'IDS001_MPI', 'lsoa_2011', 'format',
        "case when lsoa_2011 is null or trim(lsoa_2011) = '' then 'missing'"
        ~ " when length(lsoa_2011) = 9 and substring(lsoa_2011, 1, 3) in ('E01', 'W01')"
        ~ " then 'valid' else 'invalid' end", 'true'),
    ('referrals', 'IDS101_Referral', 'source_of_referral', 'code_list',
        'source_of_referral_validity', 'true'),
    ('referrals', 'IDS101_Referral', 'end_code', 'code_list', 'end_code_validity',
        'discharge_date_submitted is not null'),
    ('referrals', 'IDS101_Referral', 'age_at_referral', 'range',
        "case when age_at_referral is null then 'missing'"
        ~ " when age_at_referral between 16 and 120 then 'valid' else 'invalid' end", 'true'),
    ('referrals', 'IDS101_Referral', 'discharge_date', 'date',
        "case when is_discharge_before_referral then 'invalid' else 'valid' end",
        'discharge_date_submitted is not null'),
    ('presenting_complaints', 'IDS603_PresentingComplaints', 'presenting_complaint_code',
        'format',
        "case when presenting_complaint_code is null or trim(presenting_complaint_code) = ''"
        ~ " then 'missing' else 'valid' end", 'true'),
    ('care_contacts', 'IDS201_CareContact', 'appointment_type', 'code_list',
        'appointment_type_validity', 'true'),
    ('care_contacts', 'IDS201_CareContact', 'attendance_code', 'code_list',
        'attendance_code_validity', 'true'),
    ('care_contacts', 'IDS201_CareContact', 'consultation_mechanism', 'code_list',
        'consultation_mechanism_validity', 'true'),
    ('care_contacts', 'IDS201_CareContact', 'therapy_type', 'code_list',
        'therapy_type_validity',
        "therapy_type is not null or appointment_type in"
        ~ " (select code from appointment_types where is_treatment)"),
    ('care_contacts', 'IDS201_CareContact', 'care_contact_date', 'date',
        "case when is_out_of_period then 'invalid' else 'valid' end", 'true'),
    ('coded_scores', 'IDS606_CodedScoreAssessment', 'score', 'range',
        "case when score is null then 'missing' when is_score_in_range then 'valid'"
        ~ " else 'invalid' end", 'true'),
    ('coded_scores', 'IDS606_CodedScoreAssessment', 'score_date', 'date',
        "case when is_out_of_period then 'invalid' else 'valid' end", 'true'),
    ('employment_statuses', 'IDS004_EmpStatus', 'employment_status', 'code_list',
        'employment_status_validity', 'true'),
    ('employment_statuses', 'IDS004_EmpStatus', 'ssp_indicator', 'code_list',
        'ssp_indicator_validity', 'true'),
    ('employment_statuses', 'IDS004_EmpStatus', 'benefit_indicator', 'code_list',
        'benefit_indicator_validity', 'true'),
    ('employment_statuses', 'IDS004_EmpStatus', 'employment_status_date', 'date',
        "case when is_out_of_period then 'invalid' else 'valid' end", 'true')
] -%}
{%- set reference_items = [
    ('IDS101_Referral', 'commissioner_code'),
    ('IDS603_PresentingComplaints', 'presenting_complaint_significance'),
    ('IDS606_CodedScoreAssessment', 'questionnaire_code')
] -%}

with

submissions as (
    {{ dq_submissions_to_count() }}
),

questionnaires as (

    select * from {{ ref('code_questionnaire') }}

),

significance_codes as (

    select * from {{ ref('code_presenting_complaint_significance') }}

),

appointment_types as (

    select * from {{ ref('code_appointment_type') }}

),

pcts as (

    select * from {{ ref('org_pct_2011_12') }}

),

ccgs as (

    select * from {{ ref('org_ccg_2013_14') }}

),

patients as (
    {{ dq_rows_to_count('stg_iapt_v2__patients') }}
),

referrals as (
    {{ dq_rows_to_count('stg_iapt_v2__referrals') }}
),

presenting_complaints as (
    {{ dq_rows_to_count('stg_iapt_v2__presenting_complaints') }}
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

checked_items as (

    {% for rows, source_table, item, check_type, validity, condition in items %}
        select
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            '{{ check_type }}' as check_type
        union all
    {% endfor %}

    {% for source_table, item in reference_items %}
        select
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            'reference_list' as check_type
        {{- " union all" if not loop.last }}
    {% endfor %}

),

item_counts as (

    {% for rows, source_table, item, check_type, validity, condition in items %}
        select
            unique_submission_id,
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            {{ validity }} as validity,
            count(*) as row_count
        from {{ rows }}
        where {{ condition }}
        group by 1, 2, 3, 4
        union all
    {% endfor %}

    select
        referrals.unique_submission_id,
        'IDS101_Referral' as source_table,
        'commissioner_code' as data_item,
        case
            when referrals.commissioner_code is null
                or trim(referrals.commissioner_code) = '' then 'missing'
            when pcts.pct_code is not null or ccgs.ccg_code is not null then 'valid'
            else 'invalid'
        end as validity,
        count(*) as row_count
    from referrals
    left join pcts on referrals.commissioner_code = pcts.pct_code
    left join ccgs on referrals.commissioner_code = ccgs.ccg_code
    group by 1, 2, 3, 4

    union all

    select
        presenting_complaints.unique_submission_id,
        'IDS603_PresentingComplaints' as source_table,
        'presenting_complaint_significance' as data_item,
        case
            when presenting_complaints.presenting_complaint_significance is null
                or trim(presenting_complaints.presenting_complaint_significance) = ''
                then 'missing'
            when significance_codes.code is not null then significance_codes.validity
            else 'invalid'
        end as validity,
        count(*) as row_count
    from presenting_complaints
    left join significance_codes
        on presenting_complaints.presenting_complaint_significance = significance_codes.code
    group by 1, 2, 3, 4

    union all

    select
        coded_scores.unique_submission_id,
        'IDS606_CodedScoreAssessment' as source_table,
        'questionnaire_code' as data_item,
        case
            when coded_scores.questionnaire_code is null
                or trim(coded_scores.questionnaire_code) = '' then 'missing'
            when questionnaires.code is not null then questionnaires.validity
            else 'invalid'
        end as validity,
        count(*) as row_count
    from coded_scores
    left join questionnaires on coded_scores.questionnaire_code = questionnaires.code
    group by 1, 2, 3, 4

),

validity_counts as (

    select
        unique_submission_id,
        source_table,
        data_item,
        {{ vodim_counts('validity', 'row_count') }}
    from item_counts
    group by unique_submission_id, source_table, data_item

),

final as (

    select
        submissions.unique_submission_id,
        submissions.provider_code,
        submissions.reporting_period_start,
        checked_items.source_table,
        checked_items.data_item,
        checked_items.check_type,
        {%- for count in vodim_count_columns() %}
            cast(coalesce(validity_counts.{{ count }}, 0) as bigint) as {{ count }},
        {%- endfor %}
        submissions.folder_signature,
        submissions.code_lists_signature
    from submissions
    cross join checked_items
    left join validity_counts
        on
            submissions.unique_submission_id = validity_counts.unique_submission_id
            and checked_items.source_table = validity_counts.source_table
            and checked_items.data_item = validity_counts.data_item

)

select * from final
