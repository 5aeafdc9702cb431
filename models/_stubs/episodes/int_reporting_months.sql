-- STUB: replaced by the staging branch
-- With --vars '{episodes_synthetic_schema: <schema>}' it reads a synthetic table of that
-- schema instead (see README_synthetic.md): for data tests and timings before staging exists.
{%- if var('episodes_synthetic_schema', '') %}
select * from {{ var('episodes_synthetic_schema') }}.int_reporting_months
{%- else %}
    select
        cast(null as date) as reporting_period_start,
        cast(null as date) as reporting_period_end,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as bigint) as used_submission_count
    where false
{%- endif %}
