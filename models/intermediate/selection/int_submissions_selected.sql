-- One row per accepted header: used, or why not (input contract, as-at rules 1 and 2).
with

headers as (select * from {{ ref('stg_iapt_v2__headers') }}),

scoped as (
    select
        headers.*,
        headers.reporting_period_start <= {{ as_at_month_end() }} as is_in_scope
    from headers
),

ranked as (
    select
        scoped.*,
        row_number() over (
            partition by scoped.provider_code, scoped.reporting_period_start, scoped.is_in_scope
            order by
                case when scoped.file_type = 'Refresh' then 1 else 0 end desc,
                scoped.submitted_at desc,
                scoped.unique_submission_id desc
        ) as selection_rank
    from scoped
),

winners as (
    select
        provider_code,
        reporting_period_start,
        unique_submission_id as winner_submission_id,
        file_type as winner_file_type,
        submitted_at as winner_submitted_at
    from ranked
    where is_in_scope and selection_rank = 1
),

final as (
    select
        ranked.unique_submission_id,
        ranked.provider_code,
        ranked.reporting_period_start,
        ranked.reporting_period_end,
        ranked.file_type,
        ranked.submitted_at,
        ranked.submission_folder,
        ranked.is_in_scope and ranked.selection_rank = 1 as is_used,
        case
            when not ranked.is_in_scope then 'after as-at month'
            when ranked.selection_rank = 1 then 'used'
            when winners.winner_file_type = 'Refresh' and ranked.file_type = 'Primary'
                then 'superseded by refresh'
            when winners.winner_submitted_at > ranked.submitted_at
                then 'superseded by later submission'
            else 'superseded by higher id'
        end as selection_reason,
        case
            when ranked.is_in_scope and ranked.selection_rank > 1 then winners.winner_submission_id
        end as superseded_by_submission_id
    from ranked
    left join winners
        on ranked.provider_code = winners.provider_code
            and ranked.reporting_period_start = winners.reporting_period_start
)

select * from final
