-- Nothing lost, nothing invented: every selected referral appears exactly once in
-- fct_referral_episodes, and the mart has no pathway that is not a selected referral.
with

referrals as (
    select pathway_id from {{ ref('int_referrals_selected') }}
),

episodes as (
    select
        pathway_id,
        count(*) as n_rows
    from {{ ref('fct_referral_episodes') }}
    group by pathway_id
),

final as (
    select
        coalesce(referrals.pathway_id, episodes.pathway_id) as pathway_id,
        coalesce(episodes.n_rows, 0) as n_rows
    from referrals
    full outer join episodes
        on referrals.pathway_id = episodes.pathway_id
    where
        referrals.pathway_id is null
        or episodes.pathway_id is null
        or episodes.n_rows != 1
)

select * from final
