-- Every KPI return row, typed, with its rejection reason (null = accepted).
{%- set year_text = dbt.safe_cast('checked.quarter_year', dbt.type_string()) %}
{%- set year_start = dbt.safe_cast(dbt.concat([year_text, "'-01-01'"]), 'date') %}
{#- Q1 starts in April: the year's 1 January plus 3 months per quarter number #}
{%- set quarter_start = dbt.dateadd('month', '3 * checked.quarter_number', year_start) %}
{%- set quarter_end = dbt.dateadd('day', '-1', dbt.dateadd('month', '3', 'quarter_start')) %}
with

typed as (
    {{ base_rows('quarterly_returns') }}
),

pcts as (
    select pct_code from {{ ref('org_pct_2011_12') }}
),

return_types as (
    select code from {{ ref('code_return_type') }}
    where validity = 'valid'
),

parsed as (
    select
        typed.*,
        {{ dbt.safe_cast('substring(typed.quarter_label, 1, 4)', 'integer') }} as quarter_year,
        {{ dbt.safe_cast('substring(typed.quarter_label, 6, 2)', 'integer') }} as quarter_year_end,
        {{ dbt.safe_cast('substring(typed.quarter_label, 10, 1)', 'integer') }} as quarter_number,
        pcts.pct_code is not null as is_known_pct,
        typed.return_type is not null and return_types.code is null as is_unknown_return_type
    from typed
    left join pcts
        on typed.pct_code = pcts.pct_code
    left join return_types
        on typed.return_type = return_types.code
),

quarters as (
    select
        parsed.*,
        length(parsed.quarter_label) = 10
        and substring(parsed.quarter_label, 5, 1) = '-'
        and substring(parsed.quarter_label, 8, 3) in (' Q1', ' Q2', ' Q3', ' Q4')
        and parsed.quarter_year is not null
        and parsed.quarter_year_end = mod(parsed.quarter_year + 1, 100)
        and parsed.quarter_number between 1 and 4 as is_quarter_parsed
    from parsed
),

checked as (
    select
        quarters.*,
        case
            when quarters.rejection_reason_code is not null then quarters.rejection_reason_code
            when quarters.nil_return not in ('Y', 'N') then 'unknown_nil_return'
            when not quarters.is_known_pct then 'unknown_org_code'
            when not coalesce(quarters.is_quarter_parsed, false) then 'unparseable_quarter'
            when quarters.is_unknown_return_type then 'unknown_return_type'
        end as checked_reason_code,
        case
            when quarters.rejection_reason_code is not null then quarters.rejection_detail
            when quarters.nil_return not in ('Y', 'N')
                then {{ dbt.concat(["'NilReturn '", 'quarters.nil_return']) }}
            when not quarters.is_known_pct
                then {{ dbt.concat(["'OrgCode '", 'quarters.pct_code']) }}
            when not coalesce(quarters.is_quarter_parsed, false)
                then {{ dbt.concat(["'Quarter '", 'quarters.quarter_label']) }}
            when quarters.is_unknown_return_type
                then {{ dbt.concat(["'ReturnType '", 'quarters.return_type']) }}
        end as checked_reason_detail
    from quarters
),

dated as (
    select
        checked.*,
        case
            when checked.checked_reason_code is null
                then cast({{ quarter_start }} as date)
        end as quarter_start
    from checked
),

ranked as (
    -- rank accepted returns per PCT, quarter and type by SubmittedAt (the reason column
    -- in the partition keeps rejected rows apart)
    select
        dated.*,
        row_number() over (
            partition by
                dated.pct_code,
                dated.quarter_start,
                dated.return_type,
                dated.checked_reason_code
            order by dated.submitted_at, dated.source_file, dated.source_row_number
        ) as submission_rank
    from dated
),

resubmissions as (
    select
        ranked.*,
        case
            when ranked.checked_reason_code is null and ranked.return_type = 'Resubmission'
                then ranked.submission_rank
        end as resubmission_rank
    from ranked
),

final as (
    select
        source_file,
        source_row_number,
        quarter_label,
        quarter_start,
        cast({{ quarter_end }} as date) as quarter_end,
        pct_code,
        return_type,
        submitted_at,
        coalesce(nil_return = 'Y', false) as is_nil_return,
        nil_return_reason,
        level_of_need,
        referrals_received,
        entered_treatment,
        waiting_over_28_days,
        completed_treatment,
        not_at_caseness_at_start,
        moved_to_recovery,
        moved_off_sick_pay_or_benefits,
        case
            when checked_reason_code is not null then checked_reason_code
            when resubmission_rank > 1 then 'late_resubmission'
        end as rejection_reason_code,
        case
            when checked_reason_code is not null then checked_reason_detail
            when resubmission_rank > 1 then 'resubmission already accepted for this PCT and quarter'
        end as rejection_detail
    from resubmissions
)

select * from final
