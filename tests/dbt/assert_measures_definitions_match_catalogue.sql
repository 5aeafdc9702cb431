-- The measure lists the SQL is generated from (macros/measures/measures_definitions.sql)
-- agree with reference.measure_catalogue: same measures per source, same types, same
-- supplementary flags. Fails for every measure/source that differs.
{%- set defined = [] %}
{%- for m in measures_record_level_definitions() %}
    {%- do defined.append(('record_level', m.id, m.type, m.supplementary or false)) %}
{%- endfor %}
{%- for m in measures_kpi_return_definitions() %}
    {%- do defined.append(('kpi_return', m.id, m.type, none)) %}
{%- endfor %}

with

catalogue as (select * from {{ ref('measure_catalogue') }}),

catalogue_by_source as (

    select
        'record_level' as measure_source,
        measure_id,
        measure_type,
        is_supplementary
    from catalogue
    where sources in ('both', 'record_level')

    union all

    select
        'kpi_return' as measure_source,
        measure_id,
        measure_type,
        cast(null as boolean) as is_supplementary
    from catalogue
    where sources in ('both', 'kpi_return')

),

defined as (

    {%- for measure_source, measure_id, measure_type, is_supplementary in defined %}
        select
            '{{ measure_source }}' as measure_source,
            '{{ measure_id }}' as measure_id,
            '{{ measure_type }}' as measure_type,
            {{ 'cast(null as boolean)' if is_supplementary is none else is_supplementary }}
                as is_supplementary
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

compared as (

    select
        coalesce(defined.measure_source, catalogue_by_source.measure_source) as measure_source,
        coalesce(defined.measure_id, catalogue_by_source.measure_id) as measure_id,
        defined.measure_type as defined_type,
        catalogue_by_source.measure_type as catalogue_type,
        defined.is_supplementary as defined_supplementary,
        catalogue_by_source.is_supplementary as catalogue_supplementary
    from defined
    full outer join catalogue_by_source
        on
            defined.measure_source = catalogue_by_source.measure_source
            and defined.measure_id = catalogue_by_source.measure_id

)

select * from compared
where
    defined_type is null
    or catalogue_type is null
    or defined_type != catalogue_type
    or coalesce(defined_supplementary, false) != coalesce(catalogue_supplementary, false)
