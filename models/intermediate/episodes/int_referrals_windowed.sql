-- One row per pathway_id: the referral's state (from int_referrals_selected, read once
-- for the whole episodes layer) plus its event date window. Contacts and scores count
-- only when referral_received_date <= event date <= window_end_date, where the window
-- ends at the effective discharge date, or at the as-at month end while open.
with

referrals as (select * from {{ ref('int_referrals_selected') }}),

reporting_months as (select * from {{ ref('int_reporting_months_enumerated') }}),

as_at as (
    -- The as-at month end: the last reporting month with a used submission. Derived
    -- from int_reporting_months_enumerated (one row) rather than a macro, so this layer depends
    -- only on the intermediate contract.
    select max(reporting_period_end) as as_at_month_end
    from reporting_months
),

final as (
    select
        referrals.pathway_id,
        referrals.service_request_id,
        referrals.local_patient_id,
        referrals.provider_code,
        referrals.unique_submission_id,
        referrals.reporting_period_start,
        referrals.commissioner_code,
        referrals.referral_received_date,
        referrals.source_of_referral,
        referrals.source_of_referral_validity,
        referrals.age_at_referral,
        -- Already effective in the contract; re-applied so a discharge before the
        -- referral can never close a window (input contract: treated as null).
        case
            when referrals.discharge_date >= referrals.referral_received_date
                then referrals.discharge_date
        end as discharge_date,
        coalesce(
            referrals.is_discharge_before_referral
            or referrals.discharge_date < referrals.referral_received_date,
            false
        ) as is_discharge_before_referral,
        referrals.end_code,
        referrals.end_code_validity,
        referrals.gender_code,
        referrals.ethnic_category,
        coalesce(
            case
                when referrals.discharge_date >= referrals.referral_received_date
                    then referrals.discharge_date
            end,
            as_at.as_at_month_end
        ) as window_end_date
    from referrals
    cross join as_at
)

select * from final
