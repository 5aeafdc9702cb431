{#-
    The data-quality statement's completeness table (finished courses of treatment,
    M076): England totals for every reporting month and its financial year to date (April
    to the month). One row per statement month of a financial year with a discharge on
    or before it; a month without discharges of its own has month counts 0. The
    statement applies the disclosure rules to these counts.
-#}
{%- set parts = ['finished_referrals', 'with_paired_scores', 'with_problem_descriptor',
                 'with_valid_commissioner'] -%}

with

completeness as (

    select * from {{ ref('fct_data_quality_completeness') }}

),

financial_years as (

    select distinct
        {{ measures_financial_year_start('discharge_month') }} as financial_year_start
    from completeness

),

month_offsets as (

    {{ dbt.generate_series(12) }}

),

statement_months as (

    select
        financial_years.financial_year_start,
        cast(
            {{ dbt.dateadd(
                'month', 'month_offsets.generated_number - 1',
                'financial_years.financial_year_start'
            ) }} as date
        ) as statement_month
    from financial_years
    cross join month_offsets

),

totals as (

    select
        statement_months.statement_month,
        statement_months.financial_year_start,
        {% for part in parts %}
            sum(
                case
                    when completeness.discharge_month = statement_months.statement_month
                        then completeness.{{ part }}
                    else 0
                end
            ) as month_{{ part }},
        {% endfor %}
    {% for part in parts %}
        sum(completeness.{{ part }}) as ytd_{{ part }}
        {{- "," if not loop.last }}
    {% endfor %}
    from statement_months
    inner join completeness
        on
            statement_months.financial_year_start <= completeness.discharge_month
            and statement_months.statement_month >= completeness.discharge_month
    group by statement_months.statement_month, statement_months.financial_year_start

),

final as (

    select
        statement_month,
        financial_year_start,
        {% for part in parts %}
            cast(month_{{ part }} as bigint) as month_{{ part }},
        {% endfor %}
    {% for part in parts %}
        cast(ytd_{{ part }} as bigint) as ytd_{{ part }}
        {{- "," if not loop.last }}
    {% endfor %}
    from totals

)

select * from final
