-- sqlfluff:indentation:template_blocks_indent:false
-- Every organisation a measure can be reported for, with its published name and parent,
-- per organisation edition (organisation_editions(), docs/organisations.md): PCT -> SHA
-- (pct_2011), CCG -> commissioning region (ccg_2013, ccg_2019), Sub-ICB location -> ICB
-- -> NHS England region (sub_icb_2022, sub_icb_2024), and providers (edition `all`).
-- UNKNOWN is a commissioner and a region like any other; `all` is England.
{%- set editions = organisation_editions() %}
{#- What each era calls its commissioners and regions, England and the unknown region -#}
{%- set era_labels = {
    'pct': ['PCT', 'SHA', 'all PCTs', 'Unknown SHA'],
    'ccg': ['CCG', 'Commissioning region', 'all CCGs', 'Unknown region'],
    'sub_icb': ['Sub-ICB location', 'NHS England region', 'all SubICBs', 'Unknown region'],
} %}
with

commissioner_codes as (select * from {{ ref('int_commissioner_codes_mapped') }}),

pcts as (select * from {{ ref('org_pct_2011_12') }}),

shas as (select * from {{ ref('org_sha_2011_12') }}),

ccgs_2013 as (select * from {{ ref('org_ccg_2013_14') }}),

ccgs_2021 as (select * from {{ ref('org_ccg_2021_22') }}),

regions as (select * from {{ ref('org_commissioning_region') }}),

sub_icbs as (select * from {{ ref('org_sub_icb_locations') }}),

providers as (select * from {{ ref('org_iapt_providers') }}),

sub_icb_regions as (

    select distinct
        region_code,
        region_name
    from sub_icbs

),

editions as (

    {%- for e in editions %}
    select
        '{{ e.edition }}' as organisation_edition,
        '{{ e.era }}' as era,
        cast('{{ e.valid_from }}' as date) as edition_start,
        cast('{{ e.valid_to }}' as date) as edition_end,
        -- the `edition` value of the Sub-ICB seed: the edition's first month
        '{{ e.valid_from[:7] }}' as seed_edition,
        '{{ era_labels[e.era][0] }}' as commissioner_type,
        '{{ era_labels[e.era][1] }}' as region_type,
        '{{ era_labels[e.era][2] }}' as england_name,
        '{{ era_labels[e.era][3] }}' as unknown_region_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

-- the codes an edition reports under (a CCG code in a Sub-ICB edition is reported as
-- its Sub-ICB location, which is listed once)
edition_commissioners as (

    select distinct
        organisation_edition,
        commissioner_code,
        region_code,
        icb_code
    from commissioner_codes

),

commissioners as (

    select
        edition_commissioners.organisation_edition,
        'Commissioner' as group_type,
        editions.commissioner_type as org_type,
        edition_commissioners.commissioner_code as org_code,
        coalesce(
            pcts.pct_name,
            sub_icbs.sub_icb_name,
            ccgs_2013.ccg_name,
            ccgs_2021.ccg_name_ons,
            -- CCGs formed after 2013 and merged again before 2021: no name in the sources
            edition_commissioners.commissioner_code
        ) as org_name,
        edition_commissioners.region_code as parent_org_code,
        edition_commissioners.icb_code,
        sub_icbs.icb_name
    from edition_commissioners
    inner join editions
        on edition_commissioners.organisation_edition = editions.organisation_edition
    {{ left_join_in_era('pcts', 'pct', 'edition_commissioners.commissioner_code = pcts.pct_code') }}
    {{ left_join_in_era(
        'ccgs_2013', 'ccg', 'edition_commissioners.commissioner_code = ccgs_2013.ccg_code'
    ) }}
    {{ left_join_in_era(
        'ccgs_2021', 'ccg', 'edition_commissioners.commissioner_code = ccgs_2021.ccg_code'
    ) }}
    {{ left_join_in_era(
        'sub_icbs', 'sub_icb',
        'edition_commissioners.commissioner_code = sub_icbs.sub_icb_code'
        ~ ' and editions.seed_edition = sub_icbs.edition'
    ) }}

),

-- the regions an edition's commissioners report under, named from the region list
edition_regions as (

    select distinct
        organisation_edition,
        region_code
    from commissioner_codes

),

region_rows as (

    select
        edition_regions.organisation_edition,
        'Region' as group_type,
        editions.region_type as org_type,
        edition_regions.region_code as org_code,
        coalesce(
            shas.sha_name, sub_icb_regions.region_name, regions.region_name
        ) as org_name,
        'all' as parent_org_code,
        cast(null as {{ dbt.type_string() }}) as icb_code,
        cast(null as {{ dbt.type_string() }}) as icb_name
    from edition_regions
    inner join editions
        on edition_regions.organisation_edition = editions.organisation_edition
    {{ left_join_in_era('shas', 'pct', 'edition_regions.region_code = shas.sha_code') }}
    {{ left_join_in_era('regions', 'ccg', 'edition_regions.region_code = regions.region_code') }}
    {{ left_join_in_era(
        'sub_icb_regions', 'sub_icb', 'edition_regions.region_code = sub_icb_regions.region_code'
    ) }}

),

england_and_unknown as (

    select
        organisation_edition,
        'England' as group_type,
        'England' as org_type,
        'all' as org_code,
        england_name as org_name,
        cast(null as {{ dbt.type_string() }}) as parent_org_code,
        cast(null as {{ dbt.type_string() }}) as icb_code,
        cast(null as {{ dbt.type_string() }}) as icb_name
    from editions
    union all
    select
        organisation_edition,
        'Region' as group_type,
        region_type as org_type,
        'UNKNOWN' as org_code,
        unknown_region_name as org_name,
        'all' as parent_org_code,
        cast(null as {{ dbt.type_string() }}) as icb_code,
        cast(null as {{ dbt.type_string() }}) as icb_name
    from editions
    union all
    select
        organisation_edition,
        'Commissioner' as group_type,
        commissioner_type as org_type,
        'UNKNOWN' as org_code,
        'Unknown commissioner' as org_name,
        'UNKNOWN' as parent_org_code,
        cast(null as {{ dbt.type_string() }}) as icb_code,
        cast(null as {{ dbt.type_string() }}) as icb_name
    from editions

),

edition_organisations as (

    select * from commissioners
    union all
    select * from region_rows
    union all
    select * from england_and_unknown

),

provider_rows as (

    select
        'all' as era,
        'all' as organisation_edition,
        cast(null as date) as edition_start,
        cast(null as date) as edition_end,
        'Provider' as group_type,
        'England' as org_type,
        'all' as org_code,
        'all Providers' as org_name,
        cast(null as {{ dbt.type_string() }}) as parent_org_code,
        cast(null as {{ dbt.type_string() }}) as icb_code,
        cast(null as {{ dbt.type_string() }}) as icb_name
    union all
    select
        'all' as era,
        'all' as organisation_edition,
        cast(null as date) as edition_start,
        cast(null as date) as edition_end,
        'Provider' as group_type,
        'Provider' as org_type,
        provider_code as org_code,
        provider_name as org_name,
        region_code as parent_org_code,
        icb_code,
        icb_name
    from providers

),

organisations as (

    select
        editions.era,
        edition_organisations.organisation_edition,
        editions.edition_start,
        editions.edition_end,
        edition_organisations.group_type,
        edition_organisations.org_type,
        edition_organisations.org_code,
        edition_organisations.org_name,
        edition_organisations.parent_org_code,
        edition_organisations.icb_code,
        edition_organisations.icb_name
    from edition_organisations
    inner join editions
        on edition_organisations.organisation_edition = editions.organisation_edition
    union all
    select * from provider_rows

),

final as (

    select
        cast(era as {{ dbt.type_string() }}) as era,
        cast(organisation_edition as {{ dbt.type_string() }}) as organisation_edition,
        edition_start,
        edition_end,
        cast(group_type as {{ dbt.type_string() }}) as group_type,
        cast(org_type as {{ dbt.type_string() }}) as org_type,
        cast(org_code as {{ dbt.type_string() }}) as org_code,
        cast(org_name as {{ dbt.type_string() }}) as org_name,
        cast(parent_org_code as {{ dbt.type_string() }}) as parent_org_code,
        cast(icb_code as {{ dbt.type_string() }}) as icb_code,
        cast(icb_name as {{ dbt.type_string() }}) as icb_name
    from organisations

)

select * from final
