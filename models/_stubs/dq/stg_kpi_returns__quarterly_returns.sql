-- STUB: replaced by the staging branch
{{ config(schema='staging') }}

select
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_row_number,
    cast(null as {{ dbt.type_string() }}) as quarter_label,
    cast(null as date) as quarter_start,
    cast(null as date) as quarter_end,
    cast(null as {{ dbt.type_string() }}) as pct_code,
    cast(null as {{ dbt.type_string() }}) as return_type,
    cast(null as {{ dbt.type_timestamp() }}) as submitted_at,
    cast(null as boolean) as is_nil_return,
    cast(null as {{ dbt.type_string() }}) as nil_return_reason,
    cast(null as bigint) as level_of_need,
    cast(null as bigint) as referrals_received,
    cast(null as bigint) as entered_treatment,
    cast(null as bigint) as waiting_over_28_days,
    cast(null as bigint) as completed_treatment,
    cast(null as bigint) as not_at_caseness_at_start,
    cast(null as bigint) as moved_to_recovery,
    cast(null as bigint) as moved_off_sick_pay_or_benefits
where false
