{#-
    VODIM counts (Valid, Other, Default, Invalid, Missing) per accepted submission, raw
    table and key data item, over the accepted staging rows: one row per submission and
    item, zero counts included. Code-list items take staging's *_validity column; the
    other items are classified here (see docs/data-quality.md). Each staging table is
    read once: its rows are grouped by submission and the validity of every item, then
    unpivoted. fct_data_quality_vodim adds the submission's use and the KPI returns.
-#}
{#- (grouped CTE, source table, data item, check type, column telling whether the row
    counts for the item, or none when every row does) -#}
{#- the accepted age range (raw contract, AgeAtReferral) -#}
{%- set age_rule = contract_column('referrals', 'age_at_referral') %}
{%- set items = [
    ('patient_groups', 'IDS001_MPI', 'gender_code', 'code_list', none),
    ('patient_groups', 'IDS001_MPI', 'ethnic_category', 'code_list', none),
    ('patient_groups', 'IDS001_MPI', 'lsoa_2011', 'format', none),
    ('referral_groups', 'IDS101_Referral', 'source_of_referral', 'code_list', none),
    ('referral_groups', 'IDS101_Referral', 'end_code', 'code_list', 'is_discharge_submitted'),
    ('referral_groups', 'IDS101_Referral', 'age_at_referral', 'range', none),
    ('referral_groups', 'IDS101_Referral', 'discharge_date', 'date', 'is_discharge_submitted'),
    ('referral_groups', 'IDS101_Referral', 'commissioner_code', 'reference_list', none),
    ('presenting_complaint_groups', 'IDS603_PresentingComplaints', 'presenting_complaint_code',
        'format', none),
    ('presenting_complaint_groups', 'IDS603_PresentingComplaints',
        'presenting_complaint_significance', 'reference_list', none),
    ('care_contact_groups', 'IDS201_CareContact', 'appointment_type', 'code_list', none),
    ('care_contact_groups', 'IDS201_CareContact', 'attendance_code', 'code_list', none),
    ('care_contact_groups', 'IDS201_CareContact', 'consultation_mechanism', 'code_list', none),
    ('care_contact_groups', 'IDS201_CareContact', 'therapy_type', 'code_list',
        'is_therapy_type_expected'),
    ('care_contact_groups', 'IDS201_CareContact', 'care_contact_date', 'date', none),
    ('coded_score_groups', 'IDS606_CodedScoreAssessment', 'questionnaire_code',
        'reference_list', none),
    ('coded_score_groups', 'IDS606_CodedScoreAssessment', 'score', 'range', none),
    ('coded_score_groups', 'IDS606_CodedScoreAssessment', 'score_date', 'date', none),
    ('employment_status_groups', 'IDS004_EmpStatus', 'employment_status', 'code_list', none),
    ('employment_status_groups', 'IDS004_EmpStatus', 'ssp_indicator', 'code_list', none),
    ('employment_status_groups', 'IDS004_EmpStatus', 'benefit_indicator', 'code_list', none),
    ('employment_status_groups', 'IDS004_EmpStatus', 'employment_status_date', 'date', none)
] -%}

with

submissions as (
    select
        unique_submission_id,
        provider_code,
        reporting_period_start
    from {{ ref('stg_iapt_v2__headers') }}
),

questionnaires as (select * from {{ ref('code_questionnaire') }}),

significance_codes as (select * from {{ ref('code_presenting_complaint_significance') }}),

appointment_types as (select * from {{ ref('code_appointment_type') }}),

-- every commissioner code of some era: PCTs, CCGs of 2013..2021, Sub-ICB locations
known_commissioners as (

    select distinct submitted_code from {{ ref('int_commissioner_codes_mapped') }}

),

patients as (select * from {{ ref('stg_iapt_v2__patients') }}),

referrals as (select * from {{ ref('stg_iapt_v2__referrals') }}),

presenting_complaints as (select * from {{ ref('stg_iapt_v2__presenting_complaints') }}),

care_contacts as (select * from {{ ref('stg_iapt_v2__care_contacts') }}),

coded_scores as (select * from {{ ref('stg_iapt_v2__coded_scores') }}),

employment_statuses as (select * from {{ ref('stg_iapt_v2__employment_statuses') }}),

treatment_appointment_types as (

    select code from appointment_types
    where is_treatment

),

patient_groups as (

    select
        unique_submission_id,
        gender_validity as gender_code_validity,
        ethnic_category_validity,
        case
            when lsoa_2011 is null or trim(lsoa_2011) = '' then 'missing'
            when length(lsoa_2011) = 9 and substring(lsoa_2011, 1, 3) in ('E01', 'W01')
                then 'valid'
            else 'invalid'
        end as lsoa_2011_validity,
        count(*) as row_count
    from patients
    group by 1, 2, 3, 4

),

referral_groups as (

    select
        referrals.unique_submission_id,
        referrals.discharge_date_submitted is not null as is_discharge_submitted,
        referrals.source_of_referral_validity,
        referrals.end_code_validity,
        case
            when referrals.age_at_referral is null then 'missing'
            when referrals.age_at_referral
                between {{ age_rule['min'] }} and {{ age_rule['max'] }} then 'valid'
            else 'invalid'
        end as age_at_referral_validity,
        case
            when referrals.is_discharge_before_referral then 'invalid' else 'valid'
        end as discharge_date_validity,
        case
            when referrals.commissioner_code is null
                or trim(referrals.commissioner_code) = '' then 'missing'
            when known_commissioners.submitted_code is not null then 'valid'
            else 'invalid'
        end as commissioner_code_validity,
        count(*) as row_count
    from referrals
    left join known_commissioners
        on referrals.commissioner_code = known_commissioners.submitted_code
    group by 1, 2, 3, 4, 5, 6, 7

),

presenting_complaint_groups as (

    select
        presenting_complaints.unique_submission_id,
        case
            when presenting_complaints.presenting_complaint_code is null
                or trim(presenting_complaints.presenting_complaint_code) = '' then 'missing'
            else 'valid'
        end as presenting_complaint_code_validity,
        case
            when presenting_complaints.presenting_complaint_significance is null
                or trim(presenting_complaints.presenting_complaint_significance) = ''
                then 'missing'
            when significance_codes.code is not null then significance_codes.validity
            else 'invalid'
        end as presenting_complaint_significance_validity,
        count(*) as row_count
    from presenting_complaints
    left join significance_codes
        on presenting_complaints.presenting_complaint_significance = significance_codes.code
    group by 1, 2, 3

),

care_contact_groups as (

    select
        care_contacts.unique_submission_id,
        care_contacts.appointment_type_validity,
        care_contacts.attendance_code_validity,
        care_contacts.consultation_mechanism_validity,
        care_contacts.therapy_type_validity,
        -- therapy type is expected on treatment contacts, and counted where recorded
        care_contacts.therapy_type is not null
        or treatment_appointment_types.code is not null as is_therapy_type_expected,
        case when care_contacts.is_out_of_period then 'invalid' else 'valid' end
            as care_contact_date_validity,
        count(*) as row_count
    from care_contacts
    left join treatment_appointment_types
        on care_contacts.appointment_type = treatment_appointment_types.code
    group by 1, 2, 3, 4, 5, 6, 7

),

coded_score_groups as (

    select
        coded_scores.unique_submission_id,
        case
            when coded_scores.questionnaire_code is null
                or trim(coded_scores.questionnaire_code) = '' then 'missing'
            when questionnaires.code is not null then questionnaires.validity
            else 'invalid'
        end as questionnaire_code_validity,
        case
            when coded_scores.score is null then 'missing'
            when coded_scores.is_score_in_range then 'valid'
            else 'invalid'
        end as score_validity,
        case when coded_scores.is_out_of_period then 'invalid' else 'valid' end
            as score_date_validity,
        count(*) as row_count
    from coded_scores
    left join questionnaires on coded_scores.questionnaire_code = questionnaires.code
    group by 1, 2, 3, 4

),

employment_status_groups as (

    select
        unique_submission_id,
        employment_status_validity,
        ssp_indicator_validity,
        benefit_indicator_validity,
        case when is_out_of_period then 'invalid' else 'valid' end
            as employment_status_date_validity,
        count(*) as row_count
    from employment_statuses
    group by 1, 2, 3, 4, 5

),

checked_items as (

    {% for groups, source_table, item, check_type, condition in items %}
        select
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            '{{ check_type }}' as check_type
        {{- " union all" if not loop.last }}
    {% endfor %}

),

item_counts as (

    {% for groups, source_table, item, check_type, condition in items %}
        select
            unique_submission_id,
            '{{ source_table }}' as source_table,
            '{{ item }}' as data_item,
            {{ item }}_validity as validity,
            row_count
        from {{ groups }}
        where {{ condition or 'true' }}
        {{- " union all" if not loop.last }}
    {% endfor %}

),

validity_counts as (

    select
        unique_submission_id,
        source_table,
        data_item,
        {{ vodim_counts('validity', 'row_count') }}
    from item_counts
    group by 1, 2, 3

),

{%- set count_columns = [] %}
{%- for count in vodim_count_columns() %}
    {%- do count_columns.append(
        'cast(coalesce(validity_counts.' ~ count ~ ', 0) as bigint) as ' ~ count) %}
{%- endfor %}

final as (

    select
        submissions.unique_submission_id,
        submissions.provider_code,
        submissions.reporting_period_start,
        checked_items.source_table,
        checked_items.data_item,
        checked_items.check_type,
        {{ count_columns | join(',\n        ') }}
    from submissions
    cross join checked_items
    left join validity_counts
        on
            submissions.unique_submission_id = validity_counts.unique_submission_id
            and checked_items.source_table = validity_counts.source_table
            and checked_items.data_item = validity_counts.data_item

)

select * from final
