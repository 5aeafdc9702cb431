-- sqlfluff:indentation:template_blocks_indent:false
-- One row per (organisation edition, commissioner code a submission may carry): the
-- commissioner and region it is reported under in periods of that edition
-- (organisation_editions(), docs/organisations.md). A code with no row here is reported
-- as UNKNOWN. PCT codes belong to the PCT era only and CCG codes are not PCTs (as the
-- data set's rules say); CCG codes of 2013..2021 and Sub-ICB location codes are read
-- through the hierarchy of the period's edition.
with

pcts as (select * from {{ ref('org_pct_2011_12') }}),

ccgs_2013 as (select * from {{ ref('org_ccg_2013_14') }}),

ccgs_2021 as (select * from {{ ref('org_ccg_2021_22') }}),

legacy_ccgs as (select * from {{ ref('org_ccg_legacy_to_ccg_2021') }}),

ccg_successors as (select * from {{ ref('org_ccg_2013_successor') }}),

ccg_to_sub_icb as (select * from {{ ref('org_ccg_2021_to_sub_icb_2022') }}),

sub_icbs as (select * from {{ ref('org_sub_icb_locations') }}),

-- every CCG code of 2013..2021 and the 2021 CCG it became: the legacy lookup lists the
-- 2021 codes and most older ones; the 2013 CCGs merged before 2021 go through their
-- successor first (org_ccg_2013_successor)
ccg_codes as (

    select
        legacy_ccg_code as ccg_code,
        ccg21_code
    from legacy_ccgs
    union all
    select
        ccg_successors.ccg_code,
        legacy_ccgs.ccg21_code
    from ccg_successors
    inner join legacy_ccgs
        on ccg_successors.successor_ccg_code = legacy_ccgs.legacy_ccg_code
    union all
    select
        ccgs_2013.ccg_code,
        cast(null as {{ dbt.type_string() }}) as ccg21_code
    from ccgs_2013
    where
        ccgs_2013.ccg_code not in (select legacy_ccgs.legacy_ccg_code from legacy_ccgs)
        and ccgs_2013.ccg_code not in (select ccg_successors.ccg_code from ccg_successors)

),

-- the 2013 region of each 2021 CCG: that of the 2013 CCGs it is made of (one region
-- each; docs/organisations.md)
region_2013_of_ccg21 as (

    select
        ccg_codes.ccg21_code,
        max(ccgs_2013.commissioning_region_code) as region_code
    from ccg_codes
    inner join ccgs_2013
        on ccg_codes.ccg_code = ccgs_2013.ccg_code
    group by ccg_codes.ccg21_code

),

-- the Sub-ICB location each 2021 CCG carried on as (the one with most of its LSOAs)
sub_icb_of_ccg21 as (

    select
        ccg_code as ccg21_code,
        sub_icb_code
    from (
        select
            ccg_code,
            sub_icb_code,
            row_number() over (
                partition by ccg_code order by share_of_ccg_lsoas desc, sub_icb_code asc
            ) as share_rank
        from ccg_to_sub_icb
    ) as ranked
    where share_rank = 1

),

pct_edition as (

    select
        'pct_2011' as organisation_edition,
        pct_code as submitted_code,
        pct_code as commissioner_code,
        sha_code as region_code,
        cast(null as {{ dbt.type_string() }}) as icb_code
    from pcts

),

ccg_2013_edition as (

    select
        'ccg_2013' as organisation_edition,
        ccg_codes.ccg_code as submitted_code,
        ccg_codes.ccg_code as commissioner_code,
        coalesce(
            ccgs_2013.commissioning_region_code, region_2013_of_ccg21.region_code
        ) as region_code,
        cast(null as {{ dbt.type_string() }}) as icb_code
    from ccg_codes
    left join ccgs_2013
        on ccg_codes.ccg_code = ccgs_2013.ccg_code
    left join region_2013_of_ccg21
        on ccg_codes.ccg21_code = region_2013_of_ccg21.ccg21_code

),

ccg_2019_edition as (

    select
        'ccg_2019' as organisation_edition,
        ccg_codes.ccg_code as submitted_code,
        ccg_codes.ccg_code as commissioner_code,
        ccgs_2021.region_code,
        cast(null as {{ dbt.type_string() }}) as icb_code
    from ccg_codes
    left join ccgs_2021
        on ccg_codes.ccg21_code = ccgs_2021.ccg_code

),

{#- one block per Sub-ICB edition of organisation_editions(); the seed's `edition` is
    the edition's first month -#}
{%- set sub_icb_editions = organisation_editions_of_era('sub_icb') %}

sub_icb_editions as (

    {%- for e in sub_icb_editions %}
    -- {{ e.edition }}: its own Sub-ICB codes, then CCG codes through their 2021 CCG
    select
        '{{ e.edition }}' as organisation_edition,
        sub_icb_code as submitted_code,
        sub_icb_code as commissioner_code,
        region_code,
        icb_code
    from sub_icbs
    where edition = '{{ e.valid_from[:7] }}'
    union all
    select
        '{{ e.edition }}' as organisation_edition,
        ccg_codes.ccg_code as submitted_code,
        sub_icbs.sub_icb_code as commissioner_code,
        sub_icbs.region_code,
        sub_icbs.icb_code
    from ccg_codes
    inner join sub_icb_of_ccg21
        on ccg_codes.ccg21_code = sub_icb_of_ccg21.ccg21_code
    inner join sub_icbs
        on
            sub_icb_of_ccg21.sub_icb_code = sub_icbs.sub_icb_code
            and sub_icbs.edition = '{{ e.valid_from[:7] }}'
    where
        ccg_codes.ccg_code not in (
            select own.sub_icb_code
            from sub_icbs as own
            where own.edition = '{{ e.valid_from[:7] }}'
        )
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

unioned as (

    select * from pct_edition
    union all
    select * from ccg_2013_edition
    union all
    select * from ccg_2019_edition
    union all
    select * from sub_icb_editions

),

final as (

    select
        cast(organisation_edition as {{ dbt.type_string() }}) as organisation_edition,
        cast(submitted_code as {{ dbt.type_string() }}) as submitted_code,
        cast(commissioner_code as {{ dbt.type_string() }}) as commissioner_code,
        cast(coalesce(region_code, 'UNKNOWN') as {{ dbt.type_string() }}) as region_code,
        cast(icb_code as {{ dbt.type_string() }}) as icb_code
    from unioned

)

select * from final
