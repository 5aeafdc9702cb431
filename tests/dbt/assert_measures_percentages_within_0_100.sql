-- Every percentage measure lies within 0-100, except the access rate K101 (a share of
-- the level of need, which a small area can exceed), K102 (people entering treatment
-- in a period may exceed those referred in it: input contract Part B) and the changes
-- on the previous quarter K111-K113 (may be negative or above 100).
{%- set ids = [] %}
{%- for m in measures_record_level_definitions() + measures_kpi_return_definitions() %}
    {%- if m.type == 'percentage' and m.id not in ids
        and m.id not in ['K101', 'K102', 'K111', 'K112', 'K113'] %}
        {%- do ids.append(m.id) %}
    {%- endif %}
{%- endfor %}

select *
from {{ ref('fct_measures') }}
where
    measure_id in ({{ measures_sql_list(ids) }})
    and measure_value is not null
    and (measure_value < 0 or measure_value > 100)
