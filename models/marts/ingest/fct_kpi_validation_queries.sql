-- KPI validation queries (input contract Part B): reported per PCT, figures still used.
-- Which returns are used or superseded is int_kpi_returns_ranked's ranking.
with

quarters as (select * from {{ ref('int_kpi_quarters_enumerated') }}),

pcts as (
    select pct_code from {{ ref('org_pct_2011_12') }}
),

kpi_returns as (select * from {{ ref('int_kpi_returns_ranked') }}),

used_returns as (
    -- the used Original and the accepted Resubmission
    select * from kpi_returns
    where is_used
),

negative_count as (
    select
        quarter_start,
        pct_code,
        return_type,
        'negative_count' as query_code,
        'a count is negative' as query
    from used_returns
    where
        level_of_need < 0
        or referrals_received < 0
        or entered_treatment < 0
        or waiting_over_28_days < 0
        or completed_treatment < 0
        or not_at_caseness_at_start < 0
        or moved_to_recovery < 0
        or moved_off_sick_pay_or_benefits < 0
),

recovery_exceeds_eligible as (
    select
        quarter_start,
        pct_code,
        return_type,
        'recovery_exceeds_eligible' as query_code,
        'MovedToRecovery > CompletedTreatment - NotAtCasenessAtStart' as query
    from used_returns
    where moved_to_recovery > completed_treatment - not_at_caseness_at_start
),

not_at_caseness_exceeds_completed as (
    select
        quarter_start,
        pct_code,
        return_type,
        'not_at_caseness_exceeds_completed' as query_code,
        'NotAtCasenessAtStart > CompletedTreatment' as query
    from used_returns
    where not_at_caseness_at_start > completed_treatment
),

missing_level_of_need as (
    select
        quarter_start,
        pct_code,
        return_type,
        'missing_level_of_need' as query_code,
        'LevelOfNeed is empty: PCT left out of the access-rate numerator and denominator' as query
    from used_returns
    where level_of_need is null
),

unknown_count as (
    select
        quarter_start,
        pct_code,
        return_type,
        'unknown_count' as query_code,
        'an activity count is empty in a non-nil return (unknown, not 0)' as query
    from used_returns
    where
        not is_nil_return
        and (
            referrals_received is null
            or entered_treatment is null
            or waiting_over_28_days is null
            or completed_treatment is null
            or not_at_caseness_at_start is null
            or moved_to_recovery is null
            or moved_off_sick_pay_or_benefits is null
        )
),

superseded_original as (
    select
        quarter_start,
        pct_code,
        return_type,
        'superseded_original' as query_code,
        'an Original superseded by a later Original for the same quarter' as query
    from kpi_returns
    where return_type = 'Original' and not is_used
),

missing_return as (
    select
        quarters.quarter_start,
        pcts.pct_code,
        cast(null as {{ dbt.type_string() }}) as return_type,
        'missing_return' as query_code,
        'no return from this PCT for the quarter' as query
    from quarters
    cross join pcts
    left join used_returns
        on quarters.quarter_start = used_returns.quarter_start
            and pcts.pct_code = used_returns.pct_code
    where used_returns.pct_code is null
),

final as (
    select * from negative_count
    union all
    select * from recovery_exceeds_eligible
    union all
    select * from not_at_caseness_exceeds_completed
    union all
    select * from missing_level_of_need
    union all
    select * from unknown_count
    union all
    select * from superseded_original
    union all
    select * from missing_return
)

select * from final
