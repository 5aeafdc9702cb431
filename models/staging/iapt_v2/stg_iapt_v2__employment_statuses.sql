with

base as ({{ accepted_base_rows(ref('base_iapt_v2__employment_statuses')) }}),

code_employment_status as (select * from {{ ref('code_employment_status') }}),

code_indicator as (select * from {{ ref('code_indicator') }}),

final as (
    select
        {{ submission_columns('base') }},
        base.local_patient_id,
        base.employment_status,
        {{ code_validity('base.employment_status', 'code_employment_status') }}
            as employment_status_validity,
        base.employment_status_date,
        base.ssp_indicator,
        {{ code_validity('base.ssp_indicator', 'ssp_code') }} as ssp_indicator_validity,
        base.benefit_indicator,
        {{ code_validity('base.benefit_indicator', 'benefit_code') }} as benefit_indicator_validity,
        base.employment_status_date
        not between base.reporting_period_start and base.reporting_period_end as is_out_of_period
    from base
    left join code_employment_status
        on base.employment_status = code_employment_status.code
    left join code_indicator as ssp_code
        on base.ssp_indicator = ssp_code.code
    left join code_indicator as benefit_code
        on base.benefit_indicator = benefit_code.code
)

select * from final
