with

base as ({{ accepted_base_rows(ref('base_iapt_v2__presenting_complaints')) }}),

final as (
    select
        {{ submission_columns() }},
        pathway_id,
        presenting_complaint_code,
        presenting_complaint_significance,
        presenting_complaint_date
    from base
)

select * from final
