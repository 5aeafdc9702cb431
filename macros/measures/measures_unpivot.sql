{#-
  Wide aggregates (one row per period, organisation and breakdown, one column per
  aggregate) -> one row per measure, with numerator, denominator and value as the
  measure's type asks. One `union all` branch per measure, generated from the list.
-#}
{% macro measures_unpivot(relation, definitions, source_name) -%}
    {%- set dbl = type_double() -%}
    {%- for m in definitions %}
    select
        reporting_period_start,
        reporting_period_end,
        period_type,
        status,
        '{{ source_name }}' as source,
        group_type,
        org_code1,
        org_code2,
        breakdown,
        breakdown_value,
        '{{ m.id }}' as measure_id,
        {%- if m.type == 'count' %}
        cast({{ m.num }} as {{ dbl }}) as numerator,
        cast(null as {{ dbl }}) as denominator,
        cast({{ m.num }} as {{ dbl }}) as measure_value
        {%- elif m.type == 'percentage' %}
        cast({{ m.num }} as {{ dbl }}) as numerator,
        cast({{ m.den }} as {{ dbl }}) as denominator,
        case
            when {{ m.den }} = 0 then cast(null as {{ dbl }})
            else 100 * cast({{ m.num }} as {{ dbl }}) / cast({{ m.den }} as {{ dbl }})
        end as measure_value
        {%- elif m.type == 'mean' %}
        cast({{ m.num }} as {{ dbl }}) as numerator,
        cast({{ m.den }} as {{ dbl }}) as denominator,
        case
            when {{ m.den }} = 0 then cast(null as {{ dbl }})
            else cast({{ m.num }} as {{ dbl }}) / cast({{ m.den }} as {{ dbl }})
        end as measure_value
        {%- elif m.type == 'median' %}
        cast(null as {{ dbl }}) as numerator,
        cast({{ m.den }} as {{ dbl }}) as denominator,
        cast({{ m.value }} as {{ dbl }}) as measure_value
        {%- else %}
        {{ exceptions.raise_compiler_error('unknown measure type ' ~ m.type ~ ' for ' ~ m.id) }}
        {%- endif %}
    from {{ relation }}
    where
        {%- if m.supplementary %} true{% else %} breakdown = 'Total'{% endif %}
        {%- if m.where %} and {{ m.where }}{% endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
