{#-
    VODIM per provider, reporting month, submission use, raw table and key data item:
    counts of Valid, Other, Default, Invalid and Missing values over the accepted
    staging rows. Code-list items take staging's *_validity column; the other items are
    classified here (see docs/data-quality.md). One row per
    (provider_code, reporting_period_start, is_used_submission, source_table, data_item).
-#}
{%- set items = [
    ('stg_iapt_v2__patients', 'IDS001_MPI', 'gender_code', 'code_list',
        'gender_validity', 'true'),
    ('stg_iapt_v2__patients', 'IDS001_MPI', 'ethnic_category', 'code_list',
        'ethnic_category_validity', 'true'),
    ('stg_iapt_v2__patients', 'IDS001_MPI', 'lsoa_2011', 'format',
        "case when lsoa_2011 is null or trim(lsoa_2011) = '' then 'missing'"
        ~ " when length(lsoa_2011) = 9 and substring(lsoa_2011, 1, 3) in ('E01', 'W01')"
        ~ " then 'valid' else 'invalid' end", 'true'),
    ('stg_iapt_v2__referrals', 'IDS101_Referral', 'source_of_referral', 'code_list',
        'source_of_referral_validity', 'true'),
    ('stg_iapt_v2__referrals', 'IDS101_Referral', 'end_code', 'code_list',
        'end_code_validity', 'discharge_date_submitted is not null'),
    ('stg_iapt_v2__referrals', 'IDS101_Referral', 'age_at_referral', 'range',
        "case when age_at_referral is null then 'missing'"
        ~ " when age_at_referral between 16 and 120 then 'valid' else 'invalid' end", 'true'),
    ('stg_iapt_v2__referrals', 'IDS101_Referral', 'discharge_date', 'date',
        "case when is_discharge_before_referral then 'invalid' else 'valid' end",
        'discharge_date_submitted is not null'),
    ('stg_iapt_v2__presenting_complaints', 'IDS603_PresentingComplaints',
        'presenting_complaint_code', 'format',
        "case when presenting_complaint_code is null or trim(presenting_complaint_code) = ''"
        ~ " then 'missing' else 'valid' end", 'true'),
    ('stg_iapt_v2__care_contacts', 'IDS201_CareContact', 'appointment_type', 'code_list',
        'appointment_type_validity', 'true'),
    ('stg_iapt_v2__care_contacts', 'IDS201_CareContact', 'attendance_code', 'code_list',
        'attendance_code_validity', 'true'),
    ('stg_iapt_v2__care_contacts', 'IDS201_CareContact', 'consultation_mechanism',
        'code_list', 'consultation_mechanism_validity', 'true'),
    ('stg_iapt_v2__care_contacts', 'IDS201_CareContact', 'therapy_type', 'code_list',
        'therapy_type_validity',
        "therapy_type is not null or appointment_type in (select code from "
        ~ ref('code_appointment_type') ~ " where is_treatment)"),
    ('stg_iapt_v2__care_contacts', 'IDS201_CareContact', 'care_contact_date', 'date',
        "case when is_out_of_period then 'invalid' else 'valid' end", 'true'),
    ('stg_iapt_v2__coded_scores', 'IDS606_CodedScoreAssessment', 'score', 'range',
        "case when score is null then 'missing' when is_score_in_range then 'valid'"
        ~ " else 'invalid' end", 'true'),
    ('stg_iapt_v2__coded_scores', 'IDS606_CodedScoreAssessment', 'score_date', 'date',
        "case when is_out_of_period then 'invalid' else 'valid' end", 'true'),
    ('stg_iapt_v2__employment_statuses', 'IDS004_EmpStatus', 'employment_status',
        'code_list', 'employment_status_validity', 'true'),
    ('stg_iapt_v2__employment_statuses', 'IDS004_EmpStatus', 'ssp_indicator', 'code_list',
        'ssp_indicator_validity', 'true'),
    ('stg_iapt_v2__employment_statuses', 'IDS004_EmpStatus', 'benefit_indicator',
        'code_list', 'benefit_indicator_validity', 'true'),
    ('stg_iapt_v2__employment_statuses', 'IDS004_EmpStatus', 'employment_status_date',
        'date', "case when is_out_of_period then 'invalid' else 'valid' end", 'true')
] -%}

with

submissions as (

    select * from {{ ref('dim_submissions') }}

),

questionnaires as (

    select * from {{ ref('code_questionnaire') }}

),

significance_codes as (

    select * from {{ ref('code_presenting_complaint_significance') }}

),

pcts as (

    select * from {{ ref('org_pct_2011_12') }}

),

ccgs as (

    select * from {{ ref('org_ccg_2013_14') }}

),

referrals as (

    select * from {{ ref('stg_iapt_v2__referrals') }}

),

presenting_complaints as (

    select * from {{ ref('stg_iapt_v2__presenting_complaints') }}

),

coded_scores as (

    select * from {{ ref('stg_iapt_v2__coded_scores') }}

),

kpi_returns as (

    select * from {{ ref('stg_kpi_returns__quarterly_returns') }}

),

item_counts as (

    {% for model, source_table, item, check_type, validity, condition in items %}
        select
            unique_submission_id,
            provider_code,
            reporting_period_start,
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            '{{ check_type }}' as check_type,
            {{ validity }} as validity,
            count(*) as row_count
        from {{ ref(model) }}
        where {{ condition }}
        group by 1, 2, 3, 4, 5, 6, 7
        union all
    {% endfor %}

    select
        referrals.unique_submission_id,
        referrals.provider_code,
        referrals.reporting_period_start,
        'IDS101_Referral' as source_table,
        'commissioner_code' as data_item,
        'reference_list' as check_type,
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
    group by 1, 2, 3, 4, 5, 6, 7

    union all

    select
        presenting_complaints.unique_submission_id,
        presenting_complaints.provider_code,
        presenting_complaints.reporting_period_start,
        'IDS603_PresentingComplaints' as source_table,
        'presenting_complaint_significance' as data_item,
        'reference_list' as check_type,
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
    group by 1, 2, 3, 4, 5, 6, 7

    union all

    select
        coded_scores.unique_submission_id,
        coded_scores.provider_code,
        coded_scores.reporting_period_start,
        'IDS606_CodedScoreAssessment' as source_table,
        'questionnaire_code' as data_item,
        'reference_list' as check_type,
        case
            when coded_scores.questionnaire_code is null
                or trim(coded_scores.questionnaire_code) = '' then 'missing'
            when questionnaires.code is not null then questionnaires.validity
            else 'invalid'
        end as validity,
        count(*) as row_count
    from coded_scores
    left join questionnaires on coded_scores.questionnaire_code = questionnaires.code
    group by 1, 2, 3, 4, 5, 6, 7

    {% for column in [
        'level_of_need', 'referrals_received', 'entered_treatment', 'waiting_over_28_days',
        'completed_treatment', 'not_at_caseness_at_start', 'moved_to_recovery',
        'moved_off_sick_pay_or_benefits'
    ] %}
        union all

        select
            cast(null as bigint) as unique_submission_id,
            pct_code as provider_code,
            quarter_start as reporting_period_start,
            'kpi_returns' as source_table,
            '{{ column }}' as data_item,
            'range' as check_type,
            case
                when {{ column }} is null then 'missing'
                when {{ column }} < 0 then 'invalid'
                else 'valid'
            end as validity,
            count(*) as row_count
        from kpi_returns
        group by 1, 2, 3, 4, 5, 6, 7
    {% endfor %}

),

with_use as (

    select
        item_counts.provider_code,
        item_counts.reporting_period_start,
        item_counts.source_table,
        item_counts.data_item,
        item_counts.check_type,
        item_counts.validity,
        item_counts.row_count,
        case
            when item_counts.source_table = 'kpi_returns' then true
            else coalesce(submissions.is_used, false)
        end as is_used_submission
    from item_counts
    left join submissions
        on item_counts.unique_submission_id = submissions.unique_submission_id

),

aggregated as (

    select
        provider_code,
        reporting_period_start,
        is_used_submission,
        source_table,
        data_item,
        check_type,
        sum(row_count) as total_rows,
        sum(case when validity = 'valid' then row_count else 0 end) as valid_count,
        sum(case when validity = 'other' then row_count else 0 end) as other_count,
        sum(case when validity = 'default' then row_count else 0 end) as default_count,
        sum(case when validity = 'invalid' then row_count else 0 end) as invalid_count,
        sum(case when validity = 'missing' then row_count else 0 end) as missing_count,
        sum(
            case
                when validity not in ('valid', 'other', 'default', 'invalid', 'missing')
                    or validity is null then row_count
                else 0
            end
        ) as unclassified_count
    from with_use
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        provider_code,
        reporting_period_start,
        is_used_submission,
        source_table,
        data_item,
        check_type,
        cast(total_rows as bigint) as total_rows,
        cast(valid_count as bigint) as valid_count,
        cast(other_count as bigint) as other_count,
        cast(default_count as bigint) as default_count,
        cast(invalid_count as bigint) as invalid_count,
        cast(missing_count as bigint) as missing_count,
        cast(unclassified_count as bigint) as unclassified_count,
    {% for v in ['valid', 'other', 'default', 'invalid', 'missing'] %}
        cast(100.0 * {{ v }}_count / total_rows as decimal(18, 6)) as pct_{{ v }}
        {{- "," if not loop.last }}
    {% endfor %}
    from aggregated

)

select * from final
