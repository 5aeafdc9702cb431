{#-
  Data test over marts.measures: an invariant between measures of the same period,
  organisation and breakdown, e.g. "M036 <= M031" or "M185 + M187 + M189 = M202".
  The measures named in the assertion (M/K + three or four digits) are pivoted to one column
  each, once per (period, organisation, breakdown); a row fails when all of them are
  present and the assertion is not true. `source` limits the check to one source.
-#}
{% test measures_relation(model, assertion, source='record_level') %}

    {%- set ids = modules.re.findall('[MK][0-9]{3,4}', assertion) | unique | list -%}
    {%- set keys = ['source', 'period_type', 'reporting_period_start', 'group_type', 'org_code1',
                    'org_code2', 'breakdown', 'breakdown_value'] -%}

    with pivoted as (

        select
            {{ keys | join(',\n            ') }},
            {%- for id in ids %}
            max(case when measure_id = '{{ id }}' then measure_value end) as {{ id }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ model }}
        where
            measure_id in ('{{ ids | join("', '") }}')
            {%- if source %}
            and source = '{{ source }}'
            {%- endif %}
        group by {{ keys | join(', ') }}

    )

    select *
    from pivoted
    where
        {%- for id in ids %}
        {{ id }} is not null and
        {%- endfor %}
        not ({{ assertion }})

{% endtest %}
