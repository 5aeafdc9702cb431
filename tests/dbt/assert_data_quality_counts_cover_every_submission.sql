-- Every accepted submission, and nothing else, is counted in the per-submission
-- data-quality models, with one row per check. Returns the offending submissions.
with

headers as (select * from {{ ref('stg_iapt_v2__headers') }}),

validated as (select * from {{ ref('int_data_items_validated') }}),

flags as (select * from {{ ref('int_row_flags_counted') }}),

counted as (
    select
        'int_data_items_validated' as model_name,
        unique_submission_id,
        count(*) as check_count
    from validated
    group by unique_submission_id

    union all

    select
        'int_row_flags_counted' as model_name,
        unique_submission_id,
        count(*) as check_count
    from flags
    group by unique_submission_id
),

checks_per_model as (
    select
        model_name,
        max(check_count) as check_count
    from counted
    group by model_name
),

expected as (
    select
        checks_per_model.model_name,
        headers.unique_submission_id,
        checks_per_model.check_count
    from headers
    cross join checks_per_model
),

final as (
    select
        coalesce(expected.model_name, counted.model_name) as model_name,
        coalesce(expected.unique_submission_id, counted.unique_submission_id)
            as unique_submission_id,
        counted.check_count
    from expected
    full outer join counted
        on
            expected.model_name = counted.model_name
            and expected.unique_submission_id = counted.unique_submission_id
            and expected.check_count = counted.check_count
    where expected.model_name is null or counted.model_name is null
)

select * from final
