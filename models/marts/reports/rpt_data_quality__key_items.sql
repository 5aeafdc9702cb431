{#-
    The data-quality statement's key data items (its "National picture" and "Providers
    below 90% valid" tables): the VODIM counts of every reporting month and its financial
    year to date, England and per provider, flagged where fewer than 90% of the month's
    rows are valid ('Default' codes are not valid). The statement selects its month and
    applies the publication's disclosure rules to these counts.
-#}
{%- set valid_threshold_pct = var('data_quality_statement').valid_threshold_pct -%}
{%- set counts = ['total_rows', 'valid_count', 'other_count', 'default_count',
                  'invalid_count', 'missing_count'] -%}

with

vodim_ytd as (

    select * from {{ ref('fct_data_quality_vodim_ytd') }}

),

flagged as (

    select
        *,
        -- 100 x valid / total < threshold, in integers (exact on every engine)
        coalesce(
            total_rows > 0
            and 100 * valid_count < {{ valid_threshold_pct }} * total_rows,
            false
        ) as is_below_valid_threshold
    from vodim_ytd

),

providers_below as (

    select
        reporting_period_start,
        count(distinct provider_code) as providers_below_valid_threshold
    from flagged
    where group_type = 'Provider' and is_below_valid_threshold
    group by reporting_period_start

),

final as (

    select
        flagged.group_type,
        flagged.provider_code,
        flagged.reporting_period_start,
        flagged.financial_year_start,
        flagged.source_table,
        flagged.data_item,
        {% for count in counts %}
            flagged.{{ count }},
        {% endfor %}
        {% for count in counts %}
            flagged.ytd_{{ count }},
        {% endfor %}
        flagged.is_below_valid_threshold,
        cast(coalesce(providers_below.providers_below_valid_threshold, 0) as bigint)
            as month_providers_below_valid_threshold
    from flagged
    left join providers_below
        on flagged.reporting_period_start = providers_below.reporting_period_start

)

select * from final
