-- Record-level: an organisation other than England appears in a period (and breakdown)
-- only when at least one of its count measures is non-zero there.
{%- set counts = measures_count_ids(measures_record_level_definitions()) %}

select
    period_type,
    reporting_period_start,
    group_type,
    org_code1,
    org_code2,
    breakdown,
    breakdown_value,
    max(case when measure_id in ('{{ counts | join("', '") }}') then measure_value end) as max_count
from {{ ref('fct_measures') }}
where source = 'record_level' and group_type != 'England'
group by period_type, reporting_period_start, group_type, org_code1, org_code2, breakdown, breakdown_value
having coalesce(max(case when measure_id in ('{{ counts | join("', '") }}') then measure_value end), 0) = 0
