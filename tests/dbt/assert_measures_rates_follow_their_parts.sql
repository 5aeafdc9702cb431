-- Every value follows from its numerator and denominator as the measure type says:
-- counts = numerator with a null denominator; percentages = 100 * num / den, null when
-- den is 0 or null; means = num / den, null when den is 0; medians have a null
-- numerator, denominator = count, and a null value when the count is 0.
{%- set types = {} %}
{%- for m in measures_record_level_definitions() + measures_kpi_return_definitions() %}
    {%- do types.update({m.id: m.type}) %}
{%- endfor %}

with

typed as (

    select
        *,
        case measure_id
            {%- for id, t in types.items() %}
                when '{{ id }}' then '{{ t }}'
            {%- endfor %}
        end as measure_type
    from {{ ref('fct_measures') }}

)

select *
from typed
where
    measure_type is null
    or (measure_type = 'count' and (
        denominator is not null
        or coalesce(measure_value, -1) != coalesce(numerator, -1)
    ))
    or (measure_type = 'percentage' and (
        (coalesce(denominator, 0) = 0 and measure_value is not null)
        or (denominator != 0 and abs(measure_value - 100 * numerator / denominator) > 1e-9)
    ))
    or (measure_type = 'mean' and (
        (coalesce(denominator, 0) = 0 and measure_value is not null)
        or (denominator != 0 and abs(measure_value - numerator / denominator) > 1e-9)
    ))
    or (measure_type = 'median' and (
        numerator is not null
        or denominator is null
        or (denominator = 0 and measure_value is not null)
        or (denominator > 0 and measure_value is null)
    ))
