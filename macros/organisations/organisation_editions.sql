{#- The organisation hierarchy a period is reported in, chosen by the period's first day
    (docs/organisations.md). Each edition is one era's code list and parent list:
    pct_2011      PCT -> SHA                                   (periods before 2013-04)
    ccg_2013      CCG -> 2013 commissioning region Y54-Y57      (2013-04 .. 2019-03)
    ccg_2019      CCG -> the 7 regions of 2019 (Y56, Y58-Y63)   (2019-04 .. 2022-06)
    sub_icb_2022  Sub-ICB location -> ICB -> NHS England region (2022-07 .. 2024-03)
    sub_icb_2024  Sub-ICB location -> ICB -> NHS England region (2024-04 on)
    The one source of truth for the era boundaries. -#}
{% macro organisation_editions() -%}
    {{ return([
        {'edition': 'pct_2011', 'era': 'pct', 'valid_from': '1900-01-01', 'valid_to': '2013-03-31'},
        {'edition': 'ccg_2013', 'era': 'ccg', 'valid_from': '2013-04-01', 'valid_to': '2019-03-31'},
        {'edition': 'ccg_2019', 'era': 'ccg', 'valid_from': '2019-04-01', 'valid_to': '2022-06-30'},
        {'edition': 'sub_icb_2022', 'era': 'sub_icb', 'valid_from': '2022-07-01', 'valid_to': '2024-03-31'},
        {'edition': 'sub_icb_2024', 'era': 'sub_icb', 'valid_from': '2024-04-01', 'valid_to': '9999-12-31'},
    ]) }}
{%- endmacro %}

{#- The edition (text) of the period starting on date_expr. -#}
{% macro organisation_edition(date_expr) -%}
    {%- set editions = organisation_editions() -%}
    case
        {%- for e in editions[:-1] %}
        when {{ date_expr }} <= cast('{{ e.valid_to }}' as date) then '{{ e.edition }}'
        {%- endfor %}
        else '{{ editions[-1].edition }}'
    end
{%- endmacro %}

{#- The first day of an edition, as a date. -#}
{% macro organisation_edition_start(edition) -%}
    {%- for e in organisation_editions() if e.edition == edition -%}
        cast('{{ e.valid_from }}' as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error('unknown organisation edition ' ~ edition) }}
    {%- endfor -%}
{%- endmacro %}

{#- The editions of one era (pct, ccg, sub_icb), in order. -#}
{% macro organisation_editions_of_era(era) -%}
    {%- set found = [] -%}
    {%- for e in organisation_editions() -%}
        {%- if e.era == era -%}{%- do found.append(e) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
