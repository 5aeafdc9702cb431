{#- A left join of an organisation list that names codes in one era only (pct, ccg or
    sub_icb): the row's edition, `editions`, must be of that era (dim_organisations). -#}
{% macro left_join_in_era(relation, era, condition) -%}
    left join {{ relation }}
        on
            editions.era = '{{ era }}'
            and {{ condition }}
{%- endmacro %}
