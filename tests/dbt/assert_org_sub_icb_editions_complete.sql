-- Every Sub-ICB edition lists the 106 Sub-ICB locations under 42 ICBs and the 7 NHS
-- England regions, and each of organisation_editions()' Sub-ICB editions is in the seed.
{%- set expected = [] %}
{%- for e in organisation_editions_of_era('sub_icb') %}
    {%- do expected.append(e.valid_from[:7]) %}
{%- endfor %}

with

sub_icbs as (select * from {{ ref('org_sub_icb_locations') }}),

expected_editions as (
    {%- for edition in expected %}
        select '{{ edition }}' as edition
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

edition_counts as (
    select
        edition,
        count(*) as sub_icb_count,
        count(distinct icb_code) as icb_count,
        count(distinct region_code) as region_count
    from sub_icbs
    group by edition
),

final as (
    select
        expected_editions.edition,
        edition_counts.sub_icb_count,
        edition_counts.icb_count,
        edition_counts.region_count
    from expected_editions
    left join edition_counts
        on expected_editions.edition = edition_counts.edition
    where
        edition_counts.edition is null
        or edition_counts.sub_icb_count != 106
        or edition_counts.icb_count != 42
        or edition_counts.region_count != 7
)

select * from final
