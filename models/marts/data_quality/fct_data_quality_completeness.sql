{#-
    Completeness of finished courses of treatment (M076) per provider and month of
    discharge: the share with paired scores (M202), with a recorded problem descriptor
    and with a valid commissioner (a known PCT or CCG code).
-#}
with

episodes as (select * from {{ ref('fct_referral_episodes') }}),

finished as (

    select
        provider_code,
        cast({{ dbt.date_trunc('month', 'discharge_date') }} as date) as discharge_month,
        case when has_paired_scores then 1 else 0 end as is_paired,
        case
            when problem_descriptor is not null and problem_descriptor <> 'Not recorded'
                then 1
            else 0
        end as has_problem_descriptor,
        case
            when pct_code <> 'UNKNOWN' or ccg_code <> 'UNKNOWN' then 1
            else 0
        end as has_valid_commissioner
    from episodes
    where is_finished_course

),

aggregated as (

    select
        provider_code,
        discharge_month,
        count(*) as finished_referrals,
        sum(is_paired) as with_paired_scores,
        sum(has_problem_descriptor) as with_problem_descriptor,
        sum(has_valid_commissioner) as with_valid_commissioner
    from finished
    group by provider_code, discharge_month

),

final as (

    select
        provider_code,
        discharge_month,
        cast(finished_referrals as bigint) as finished_referrals,
        cast(with_paired_scores as bigint) as with_paired_scores,
        cast(with_problem_descriptor as bigint) as with_problem_descriptor,
        cast(with_valid_commissioner as bigint) as with_valid_commissioner,
        cast(100.0 * with_paired_scores / finished_referrals as decimal(18, 6))
            as pct_with_paired_scores,
        cast(100.0 * with_problem_descriptor / finished_referrals as decimal(18, 6))
            as pct_with_problem_descriptor,
        cast(100.0 * with_valid_commissioner / finished_referrals as decimal(18, 6))
            as pct_with_valid_commissioner
    from aggregated

)

select * from final
