-- Every (breakdown, breakdown_value) of marts.measures has a published label, and every
-- (source, group_type, period) an official group type of its era: a value without one
-- would be dropped from the official files. Fails for each uncovered combination.
with

measures as (select * from {{ ref('fct_measures') }}),

labels as (select * from {{ ref('publication_breakdown_labels') }}),

group_types as (select * from {{ ref('publication_group_types') }}),

combinations as (

    select
        source,
        group_type,
        breakdown,
        breakdown_value,
        reporting_period_start
    from measures
    group by source, group_type, breakdown, breakdown_value, reporting_period_start

),

uncovered as (

    select
        combinations.source,
        combinations.group_type,
        combinations.breakdown,
        combinations.breakdown_value,
        combinations.reporting_period_start,
        labels.variable_type is null as has_no_label,
        group_types.official_group_type is null as has_no_group_type
    from combinations
    left join labels
        on
            combinations.breakdown = labels.breakdown
            and combinations.breakdown_value = labels.breakdown_value
    left join group_types
        on
            combinations.source = group_types.source
            and combinations.group_type = group_types.group_type
            and combinations.reporting_period_start
            between group_types.era_start and group_types.era_end

)

select * from uncovered
where has_no_label or has_no_group_type
