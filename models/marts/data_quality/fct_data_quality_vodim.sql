{#-
    VODIM per provider, reporting month, submission use, raw table and key data item:
    counts of Valid, Other, Default, Invalid and Missing values over the accepted
    staging rows. One row per
    (provider_code, reporting_period_start, is_used_submission, source_table, data_item).
    The record-level counts are kept per submission in int_data_items_validated; here
    they are summed by the submission's current use (as-at month, refreshes). KPI return
    items use the PCT as provider and the quarter start as month.
-#}
{%- set kpi_items = [
    'level_of_need', 'referrals_received', 'entered_treatment', 'waiting_over_28_days',
    'completed_treatment', 'not_at_caseness_at_start', 'moved_to_recovery',
    'moved_off_sick_pay_or_benefits'
] -%}

with

validated as (select * from {{ ref('int_data_items_validated') }}),

submissions as (select * from {{ ref('dim_submissions') }}),

kpi_returns as (select * from {{ ref('stg_kpi_returns__quarterly_returns') }}),

kpi_item_counts as (

    {% for item in kpi_items %}
        select
            pct_code as provider_code,
            quarter_start as reporting_period_start,
            '{{ item }}' as data_item,
            case
                when {{ item }} is null then 'missing'
                when {{ item }} < 0 then 'invalid'
                else 'valid'
            end as validity,
            count(*) as row_count
        from kpi_returns
        group by 1, 2, 3, 4
        {{- " union all" if not loop.last }}
    {% endfor %}

),

kpi_counts as (

    select
        provider_code,
        reporting_period_start,
        true as is_used_submission,
        'kpi_returns' as source_table,
        data_item,
        'range' as check_type,
        {{ vodim_counts('validity', 'row_count') }}
    from kpi_item_counts
    group by 1, 2, 3, 4, 5, 6

),

submission_counts as (

    select
        validated.provider_code,
        validated.reporting_period_start,
        coalesce(submissions.is_used, false) as is_used_submission,
        validated.source_table,
        validated.data_item,
        validated.check_type,
    {% for count in vodim_count_columns() %}
        sum(validated.{{ count }}) as {{ count }}
        {{- "," if not loop.last }}
    {% endfor %}
    from validated
    left join submissions
        on validated.unique_submission_id = submissions.unique_submission_id
    group by 1, 2, 3, 4, 5, 6

),

unioned as (

    select * from submission_counts
    union all
    select * from kpi_counts

),

final as (

    select
        provider_code,
        reporting_period_start,
        is_used_submission,
        source_table,
        data_item,
        check_type,
        {% for count in vodim_count_columns() %}
            cast({{ count }} as bigint) as {{ count }},
        {% endfor %}
    {% for v in ['valid', 'other', 'default', 'invalid', 'missing'] %}
        cast(100.0 * {{ v }}_count / total_rows as decimal(18, 6)) as pct_{{ v }}
        {{- "," if not loop.last }}
    {% endfor %}
    from unioned
    where total_rows > 0

)

select * from final
