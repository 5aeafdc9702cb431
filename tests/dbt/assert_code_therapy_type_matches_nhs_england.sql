-- sqlfluff:indentation:template_blocks_indent:false
-- code_therapy_type gives every appointment type the intensity NHS England's own code
-- gives it (nhsengland/Talking-Therapies, Key Metrics Dashboard: LIApts / HIApts /
-- employment support; shared/reference/iapt_therapy_type_snomed.csv). The list below is
-- copied by hand from that file, not from the seed: a row missing from the seed, or
-- with another intensity, fails.
with

therapy_types as (select * from {{ ref('code_therapy_type') }}),

expected as (
    {%- set expected = [
        ('748051000000105', 'low'), ('748101000000105', 'low'), ('748041000000107', 'low'),
        ('748091000000102', 'low'), ('748061000000108', 'low'), ('199314001', 'low'),
        ('702545008', 'low'), ('1026111000000108', 'low'), ('975131000000104', 'low'),
        ('1127281000000100', 'high'), ('1129471000000105', 'high'), ('842901000000108', 'high'),
        ('286711000000107', 'high'), ('314034001', 'high'), ('449030000', 'high'),
        ('933221000000107', 'high'), ('1026131000000100', 'high'), ('304891004', 'high'),
        ('443730003', 'high'), ('1098051000000103', 'employment_support'),
    ] %}
    {%- for code, intensity in expected %}
    select
        '{{ code }}' as code,
        '{{ intensity }}' as therapy_intensity
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        expected.code,
        expected.therapy_intensity as expected_intensity,
        therapy_types.therapy_intensity as seed_intensity
    from expected
    left join therapy_types
        on expected.code = therapy_types.code
    where
        therapy_types.code is null
        or therapy_types.therapy_intensity != expected.therapy_intensity
)

select * from final
