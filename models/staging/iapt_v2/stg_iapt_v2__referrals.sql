with

base as ({{ accepted_base_rows(ref('base_iapt_v2__referrals')) }}),

code_source_of_referral as (select * from {{ ref('code_source_of_referral') }}),

code_end_code as (select * from {{ ref('code_end_code') }}),

final as (
    select
        {{ submission_columns('base', loaded_at=true) }},
        base.service_request_id,
        base.pathway_id,
        base.local_patient_id,
        base.commissioner_code,
        base.referral_received_date,
        base.source_of_referral,
        {{ code_validity('base.source_of_referral', 'code_source_of_referral') }}
            as source_of_referral_validity,
        base.age_at_referral,
        base.discharge_date_submitted,
        case
            when base.discharge_date_submitted >= base.referral_received_date
                then base.discharge_date_submitted
        end as discharge_date,
        coalesce(base.discharge_date_submitted < base.referral_received_date, false)
            as is_discharge_before_referral,
        base.end_code,
        {{ code_validity('base.end_code', 'code_end_code') }} as end_code_validity
    from base
    left join code_source_of_referral
        on base.source_of_referral = code_source_of_referral.code
    left join code_end_code
        on base.end_code = code_end_code.code
)

select * from final
