-- Every organisation a measure can be reported for, with its published name and parent,
-- per hierarchy era: PCT era (periods before 2013-04: PCT -> SHA), CCG era (CCG ->
-- commissioning region) and providers (any era). UNKNOWN is a commissioner and a region
-- like any other; `all` is England.
with

pcts as (

    select * from {{ ref('org_pct_2011_12') }}

),

shas as (

    select * from {{ ref('org_sha_2011_12') }}

),

ccgs as (

    select * from {{ ref('org_ccg_2013_14') }}

),

regions as (

    select * from {{ ref('org_commissioning_region') }}

),

providers as (

    select * from {{ ref('org_iapt_providers') }}

),

organisations as (

    select
        'pct' as era,
        'England' as group_type,
        'England' as org_type,
        'all' as org_code,
        'all PCTs' as org_name,
        cast(null as {{ dbt.type_string() }}) as parent_org_code
    union all
    select
        'ccg' as era,
        'England' as group_type,
        'England' as org_type,
        'all' as org_code,
        'all CCGs' as org_name,
        cast(null as {{ dbt.type_string() }}) as parent_org_code
    union all
    select
        'all' as era,
        'Provider' as group_type,
        'England' as org_type,
        'all' as org_code,
        'all Providers' as org_name,
        cast(null as {{ dbt.type_string() }}) as parent_org_code
    union all
    select
        'pct' as era,
        'Region' as group_type,
        'SHA' as org_type,
        sha_code as org_code,
        sha_name as org_name,
        'all' as parent_org_code
    from shas
    union all
    select
        'pct' as era,
        'Region' as group_type,
        'SHA' as org_type,
        'UNKNOWN' as org_code,
        'Unknown SHA' as org_name,
        'all' as parent_org_code
    union all
    select
        'pct' as era,
        'Commissioner' as group_type,
        'PCT' as org_type,
        pct_code as org_code,
        pct_name as org_name,
        sha_code as parent_org_code
    from pcts
    union all
    select
        'pct' as era,
        'Commissioner' as group_type,
        'PCT' as org_type,
        'UNKNOWN' as org_code,
        'Unknown commissioner' as org_name,
        'UNKNOWN' as parent_org_code
    union all
    select
        'ccg' as era,
        'Region' as group_type,
        'Commissioning region' as org_type,
        region_code as org_code,
        region_name as org_name,
        'all' as parent_org_code
    from regions
    union all
    select
        'ccg' as era,
        'Region' as group_type,
        'Commissioning region' as org_type,
        'UNKNOWN' as org_code,
        'Unknown region' as org_name,
        'all' as parent_org_code
    union all
    select
        'ccg' as era,
        'Commissioner' as group_type,
        'CCG' as org_type,
        ccg_code as org_code,
        ccg_name as org_name,
        commissioning_region_code as parent_org_code
    from ccgs
    union all
    select
        'ccg' as era,
        'Commissioner' as group_type,
        'CCG' as org_type,
        'UNKNOWN' as org_code,
        'Unknown commissioner' as org_name,
        'UNKNOWN' as parent_org_code
    union all
    select
        'all' as era,
        'Provider' as group_type,
        'Provider' as org_type,
        provider_code as org_code,
        provider_name as org_name,
        region_code as parent_org_code
    from providers

),

final as (

    select
        cast(era as {{ dbt.type_string() }}) as era,
        cast(group_type as {{ dbt.type_string() }}) as group_type,
        cast(org_type as {{ dbt.type_string() }}) as org_type,
        cast(org_code as {{ dbt.type_string() }}) as org_code,
        cast(org_name as {{ dbt.type_string() }}) as org_name,
        cast(parent_org_code as {{ dbt.type_string() }}) as parent_org_code
    from organisations

)

select * from final
