with

base as (
    select * from {{ ref('base_iapt_v2__patients') }}
    where rejection_reason_code is null
        and {{ ingest_folder_is_not_duplicate() }}
),

code_gender as (
    select * from {{ ref('code_gender') }}
),

code_ethnic_category as (
    select * from {{ ref('code_ethnic_category') }}
),

final as (
    select
        base.source_file,
        base.source_row_number,
        base.unique_submission_id,
        base.provider_code,
        base.reporting_period_start,
        base.local_patient_id,
        base.gender_code,
        {{ code_validity('base.gender_code', 'code_gender') }} as gender_validity,
        base.ethnic_category,
        {{ code_validity('base.ethnic_category', 'code_ethnic_category') }}
            as ethnic_category_validity,
        base.lsoa_2011
    from base
    left join code_gender
        on base.gender_code = code_gender.code
    left join code_ethnic_category
        on base.ethnic_category = code_ethnic_category.code
)

select * from final
