with

base as ({{ accepted_base_rows(ref('base_iapt_v2__patients')) }}),

code_gender as (select * from {{ ref('code_gender') }}),

code_ethnic_category as (select * from {{ ref('code_ethnic_category') }}),

final as (
    select
        {{ submission_columns('base') }},
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
