-- Pins every outcome questionnaire of seeds/code_lists/code_questionnaire.csv to the
-- official values, typed by hand from shared/spec/measures.md ("Questionnaires"): valid
-- range, caseness operator and cut-off, reliable-change amount, and the measure role
-- (PHQ-9 is the depression measure, GAD-7 the default anxiety measure). A seed edit (PHQ-9
-- caseness 10 -> 11, `>=` -> `>`) fails here, whatever the unit-test fixtures say.
-- Fails for every questionnaire that differs, is missing, or is an unexpected outcome
-- measure.
with

questionnaires as (

    select * from {{ ref('code_questionnaire') }}

),

official as (

    select
        '720433000' as code,
        'PHQ-9' as short_name,
        0 as min_score,
        27 as max_score,
        '>=' as caseness_operator,
        10 as caseness_threshold,
        6 as reliable_change,
        'depression' as measure_role
    union all
    select
        '445455005' as code,
        'GAD-7' as short_name,
        0 as min_score,
        21 as max_score,
        '>=' as caseness_operator,
        8 as caseness_threshold,
        4 as reliable_change,
        'default_anxiety' as measure_role
    union all
    select
        '473355002' as code,
        'Mobility Inventory' as short_name,
        1 as min_score,
        5 as max_score,
        '>' as caseness_operator,
        2.3 as caseness_threshold,
        0.73 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role
    union all
    select
        '445552006' as code,
        'SPIN' as short_name,
        0 as min_score,
        68 as max_score,
        '>=' as caseness_operator,
        19 as caseness_threshold,
        10 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role
    union all
    select
        '450326007' as code,
        'PDSS' as short_name,
        0 as min_score,
        28 as max_score,
        '>=' as caseness_operator,
        8 as caseness_threshold,
        5 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role
    union all
    select
        '450324005' as code,
        'OCI' as short_name,
        0 as min_score,
        168 as max_score,
        '>=' as caseness_operator,
        40 as caseness_threshold,
        32 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role
    union all
    select
        '491581000000104' as code,
        'PCL-5' as short_name,
        0 as min_score,
        80 as max_score,
        '>=' as caseness_operator,
        32 as caseness_threshold,
        10 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role
    union all
    select
        '446793008' as code,
        'HAI' as short_name,
        0 as min_score,
        54 as max_score,
        '>=' as caseness_operator,
        18 as caseness_threshold,
        4 as reliable_change,
        cast(null as {{ dbt.type_string() }}) as measure_role

),

seeded as (

    select
        cast(code as {{ dbt.type_string() }}) as code,
        short_name,
        cast(min_score as decimal(18, 6)) as min_score,
        cast(max_score as decimal(18, 6)) as max_score,
        caseness_operator,
        cast(caseness_threshold as decimal(18, 6)) as caseness_threshold,
        cast(reliable_change as decimal(18, 6)) as reliable_change,
        measure_role
    from questionnaires
    where is_outcome_measure

),

compared as (

    select
        coalesce(official.code, seeded.code) as code,
        official.short_name as official_short_name,
        seeded.short_name as seeded_short_name,
        official.caseness_operator as official_operator,
        seeded.caseness_operator as seeded_operator,
        cast(official.caseness_threshold as decimal(18, 6)) as official_threshold,
        seeded.caseness_threshold as seeded_threshold,
        cast(official.reliable_change as decimal(18, 6)) as official_reliable_change,
        seeded.reliable_change as seeded_reliable_change,
        cast(official.min_score as decimal(18, 6)) as official_min_score,
        seeded.min_score as seeded_min_score,
        cast(official.max_score as decimal(18, 6)) as official_max_score,
        seeded.max_score as seeded_max_score,
        official.measure_role as official_measure_role,
        seeded.measure_role as seeded_measure_role
    from official
    full outer join seeded
        on official.code = seeded.code

)

select * from compared
where
    official_short_name is null
    or seeded_short_name is null
    or official_short_name != seeded_short_name
    or seeded_operator is null
    or official_operator != seeded_operator
    or seeded_threshold is null
    or official_threshold != seeded_threshold
    or seeded_reliable_change is null
    or official_reliable_change != seeded_reliable_change
    or seeded_min_score is null
    or official_min_score != seeded_min_score
    or seeded_max_score is null
    or official_max_score != seeded_max_score
    or coalesce(official_measure_role, '-') != coalesce(seeded_measure_role, '-')
