-- K101 denominators for the record-level data: the level of need (estimated adults with
-- depression or anxiety) per financial year and organisation, at England, Region and
-- Commissioner level. Annual figures, used as they are for months and quarters too
-- (measures.md: "not annualised").
--   CCG era: the modelled CCG seed, summed to commissioning region and England.
--   PCT era: no per-PCT prevalence is published, so a PCT's own LevelOfNeed from its KPI
--   return (Final figures, latest quarter of the financial year) is used, summed to SHA;
--   England uses the latest national figure of prevalence_england for the year or an
--   earlier one (6.1 million for 2011/12), else the sum over PCTs.
{%- set financial_year_text =
    'substring(cast(financial_year as ' ~ dbt.type_string() ~ '), 1, 4)' %}

with

periods as (select * from {{ ref('int_measure_periods_enumerated') }}),

ccg_need as (select * from {{ ref('prevalence_ccg_modelled') }}),

ccgs as (select * from {{ ref('org_ccg_2013_14') }}),

england_need as (select * from {{ ref('prevalence_england') }}),

kpi_returns as (select * from {{ ref('int_kpi_returns_selected') }}),

financial_years as (

    select distinct
        {{ measures_financial_year_start('reporting_period_start') }} as financial_year_start,
        is_pct_era
    from periods

),

ccg_rows as (

    select
        ccg_need.ccg_code,
        coalesce(ccgs.commissioning_region_code, 'UNKNOWN') as region_code,
        cast(ccg_need.level_of_need as {{ type_double() }}) as level_of_need
    from ccg_need
    left join ccgs
        on ccg_need.ccg_code = ccgs.ccg_code

),

ccg_era as (

    select
        'Commissioner' as group_type,
        ccg_code as org_code,
        level_of_need
    from ccg_rows
    union all
    select
        'Region' as group_type,
        region_code as org_code,
        sum(level_of_need) as level_of_need
    from ccg_rows
    group by region_code
    union all
    select
        'England' as group_type,
        'all' as org_code,
        sum(level_of_need) as level_of_need
    from ccg_rows

),

pct_returns_ranked as (

    select
        pct_code,
        coalesce(sha_code, 'UNKNOWN') as sha_code,
        {{ measures_financial_year_start('quarter_start') }} as financial_year_start,
        cast(level_of_need as {{ type_double() }}) as level_of_need,
        row_number() over (
            partition by pct_code, {{ measures_financial_year_start('quarter_start') }}
            order by quarter_start desc
        ) as latest_rank
    from kpi_returns
    where figures = 'Final' and level_of_need is not null

),

pct_rows as (

    select * from pct_returns_ranked
    where latest_rank = 1

),

england_national as (

    select
        cast({{ dbt.concat([financial_year_text, "'-04-01'"]) }} as date) as financial_year_start,
        cast(level_of_need as {{ type_double() }}) as level_of_need
    from england_need

),

-- England in the PCT era: the latest national figure for the year or an earlier one;
-- the sum over PCTs only when there is none
national_ranked as (

    select
        financial_years.financial_year_start,
        england_national.level_of_need,
        row_number() over (
            partition by financial_years.financial_year_start
            order by england_national.financial_year_start desc
        ) as latest_rank
    from financial_years
    inner join england_national
        on financial_years.financial_year_start >= england_national.financial_year_start
    where financial_years.is_pct_era

),

pct_sums as (

    select
        financial_year_start,
        sum(level_of_need) as level_of_need
    from pct_rows
    group by financial_year_start

),

england_pct_era as (

    select
        financial_years.financial_year_start,
        coalesce(national_ranked.level_of_need, pct_sums.level_of_need) as level_of_need
    from financial_years
    left join national_ranked
        on
            financial_years.financial_year_start = national_ranked.financial_year_start
            and national_ranked.latest_rank = 1
    left join pct_sums
        on financial_years.financial_year_start = pct_sums.financial_year_start
    where financial_years.is_pct_era

),

pct_era as (

    select
        financial_year_start,
        'Commissioner' as group_type,
        pct_code as org_code,
        level_of_need
    from pct_rows
    union all
    select
        financial_year_start,
        'Region' as group_type,
        sha_code as org_code,
        sum(level_of_need) as level_of_need
    from pct_rows
    group by financial_year_start, sha_code
    union all
    select
        financial_year_start,
        'England' as group_type,
        'all' as org_code,
        level_of_need
    from england_pct_era

),

final as (

    select
        financial_years.financial_year_start,
        financial_years.is_pct_era,
        ccg_era.group_type,
        ccg_era.org_code,
        ccg_era.level_of_need
    from financial_years
    cross join ccg_era
    where not financial_years.is_pct_era

    union all

    select
        financial_years.financial_year_start,
        financial_years.is_pct_era,
        pct_era.group_type,
        pct_era.org_code,
        pct_era.level_of_need
    from financial_years
    inner join pct_era
        on financial_years.financial_year_start = pct_era.financial_year_start
    where financial_years.is_pct_era

)

select * from final
