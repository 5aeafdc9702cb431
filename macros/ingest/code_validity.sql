{#- VODIM validity of a coded value against a seeded code list joined on code:
    missing (null/empty), invalid (not in the list), else the list's validity. -#}
{% macro code_validity(value, code_list_alias) -%}
    case
        when {{ value }} is null then 'missing'
        when {{ code_list_alias }}.code is null then 'invalid'
        else {{ code_list_alias }}.validity
    end
{%- endmacro %}
