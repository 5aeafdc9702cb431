-- sqlfluff:indentation:template_blocks_indent:false
-- Pins every outcome questionnaire of seeds/code_lists/code_questionnaire.csv to the
-- official values, typed by hand from shared/spec/measures.md ("Questionnaires"): valid
-- range, caseness operator and cut-off, reliable-change amount, and the measure role
-- (PHQ-9 is the depression measure, GAD-7 the default anxiety measure). A seed edit (PHQ-9
-- caseness 10 -> 11, `>=` -> `>`) fails here, whatever the unit-test fixtures say.
-- Fails for every questionnaire that differs, is missing, or is an unexpected outcome
-- measure.
{#- (code, short name, min and max score, caseness operator and cut-off, reliable change,
    measure role), as the official table lists them -#}
{%- set official_questionnaires = [
    ('720433000', 'PHQ-9', 0, 27, '>=', 10, 6, 'depression'),
    ('445455005', 'GAD-7', 0, 21, '>=', 8, 4, 'default_anxiety'),
    ('473355002', 'Mobility Inventory', 1, 5, '>', 2.3, 0.73, none),
    ('445552006', 'SPIN', 0, 68, '>=', 19, 10, none),
    ('450326007', 'PDSS', 0, 28, '>=', 8, 5, none),
    ('450324005', 'OCI', 0, 168, '>=', 40, 32, none),
    ('491581000000104', 'PCL-5', 0, 80, '>=', 32, 10, none),
    ('446793008', 'HAI', 0, 54, '>=', 18, 4, none),
] %}
with

questionnaires as (select * from {{ ref('code_questionnaire') }}),

official as (

    {%- for code, short_name, min_score, max_score, operator, threshold, reliable_change, role
        in official_questionnaires %}
    select
        '{{ code }}' as code,
        '{{ short_name }}' as short_name,
        {{ min_score }} as min_score,
        {{ max_score }} as max_score,
        '{{ operator }}' as caseness_operator,
        {{ threshold }} as caseness_threshold,
        {{ reliable_change }} as reliable_change,
        {{ "'" ~ role ~ "'" if role else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as measure_role
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

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
