-- One row per referral that finished a course of treatment: did the patient move off
-- sick pay or benefits? (measures.md "Moved off sick pay or benefits".) The patient's
-- IDS004 records are matched on (provider_code, local_patient_id) of the referral's
-- state, across all used months, ordered per input-contract rule 6 by
-- (employment_status_date, reporting_period_start, unique_submission_id,
-- employment_status, ssp_indicator, benefit_indicator), nulls sorting last.
-- Start record: the latest dated on or before the first treatment contact, else the
-- earliest dated on or before the last treatment contact. End record: the latest dated
-- on or after the last treatment contact and on or before discharge. Moved off: start
-- has SSPInd = 'Y' or BenefitRecInd = 'Y', and end has both 'N'.
{%- set record_order %}
employment.employment_status_date {dir} nulls {nulls},
employment.reporting_period_start {dir} nulls {nulls},
employment.unique_submission_id {dir} nulls {nulls},
employment.employment_status {dir} nulls {nulls},
employment.ssp_indicator {dir} nulls {nulls},
employment.benefit_indicator {dir} nulls {nulls}
{%- endset %}
{%- set ascending = record_order.replace('{dir}', 'asc').replace('{nulls}', 'last') %}
{%- set descending = record_order.replace('{dir}', 'desc').replace('{nulls}', 'first') %}
with

referrals as (select * from {{ ref('int_referral_contacts_summarised') }}),

employment_statuses as (select * from {{ ref('int_employment_statuses_selected') }}),

finishers as (
    select
        pathway_id,
        provider_code,
        local_patient_id,
        first_treatment_date,
        last_treatment_date,
        discharge_date
    from referrals
    where is_finished_course
),

candidates as (
    select
        finishers.pathway_id,
        employment.employment_status_date <= finishers.first_treatment_date
            as is_before_first_treatment,
        employment.employment_status_date <= finishers.last_treatment_date
            as is_before_last_treatment,
        employment.employment_status_date >= finishers.last_treatment_date
        and employment.employment_status_date <= finishers.discharge_date
            as is_after_last_treatment,
        employment.ssp_indicator = 'Y' or employment.benefit_indicator = 'Y'
            as is_on_sick_pay_or_benefits,
        employment.ssp_indicator = 'N' and employment.benefit_indicator = 'N'
            as is_off_sick_pay_and_benefits,
        row_number() over (
            partition by
                finishers.pathway_id,
                employment.employment_status_date <= finishers.first_treatment_date
            order by {{ descending }}
        ) as order_latest_to_first,
        row_number() over (
            partition by
                finishers.pathway_id,
                employment.employment_status_date <= finishers.last_treatment_date
            order by {{ ascending }}
        ) as order_earliest_to_last,
        row_number() over (
            partition by
                finishers.pathway_id,
                employment.employment_status_date >= finishers.last_treatment_date
                and employment.employment_status_date <= finishers.discharge_date
            order by {{ descending }}
        ) as order_latest_after_last
    from finishers
    inner join employment_statuses as employment
        on
            finishers.provider_code = employment.provider_code
            and finishers.local_patient_id = employment.local_patient_id
),

per_referral as (
    select
        pathway_id,
        max(case when is_before_first_treatment then 1 else 0 end) as has_record_before_first,
        max(
            case
                when is_before_first_treatment and order_latest_to_first = 1
                    and is_on_sick_pay_or_benefits then 1
                else 0
            end
        ) as is_on_at_first,
        max(
            case
                when is_before_last_treatment and order_earliest_to_last = 1
                    and is_on_sick_pay_or_benefits then 1
                else 0
            end
        ) as is_on_by_last,
        max(
            case
                when is_after_last_treatment and order_latest_after_last = 1
                    and is_off_sick_pay_and_benefits then 1
                else 0
            end
        ) as is_off_at_end
    from candidates
    group by pathway_id
),

final as (
    select
        finishers.pathway_id,
        coalesce(
            case
                when per_referral.has_record_before_first = 1
                    then per_referral.is_on_at_first
                else per_referral.is_on_by_last
            end = 1
            and per_referral.is_off_at_end = 1,
            false
        ) as is_moved_off_sick_pay_benefits
    from finishers
    left join per_referral
        on finishers.pathway_id = per_referral.pathway_id
)

select * from final
