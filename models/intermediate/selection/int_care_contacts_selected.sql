-- sqlfluff:indentation:template_blocks_indent:false
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          tags=['pathway_scoped'], pre_hook="{{ pathway_scope_delete() }}",
          post_hook="{{ pathway_scope_record() }}") }}
-- One row per (provider, CareContactId): in-period rows of used submissions, the later
-- month winning (rules 4 and 5: out-of-period re-sends never replace the original).
with

used as (
    select unique_submission_id from {{ ref('int_submissions_selected') }}
    where is_used
),

contacts as (
    select contacts.*
    from {{ ref('stg_iapt_v2__care_contacts') }} as contacts
    inner join used
        on contacts.unique_submission_id = used.unique_submission_id
    where not contacts.is_out_of_period
),

{%- if is_incremental() %}

contact_keys_in_scope as (
    -- every row of a contact held by a referral in scope competes, whichever
    -- referral it names
    select distinct
        provider_code,
        care_contact_id
    from contacts
    where {{ in_pathway_scope('pathway_id') }}
),

contacts_in_scope as (
    select contacts.*
    from contacts
    inner join contact_keys_in_scope
        on contacts.provider_code = contact_keys_in_scope.provider_code
            and contacts.care_contact_id = contact_keys_in_scope.care_contact_id
),

{%- else %}

contacts_in_scope as (
    select * from contacts
),

{%- endif %}

ranked as (
    select
        contacts_in_scope.*,
        row_number() over (
            partition by contacts_in_scope.provider_code, contacts_in_scope.care_contact_id
            order by
                contacts_in_scope.reporting_period_start desc,
                contacts_in_scope.unique_submission_id desc
        ) as contact_rank
    from contacts_in_scope
),

final as (
    select
        provider_code,
        care_contact_id,
        pathway_id,
        care_contact_date,
        appointment_type,
        attendance_code,
        consultation_mechanism,
        therapy_type,
        unique_submission_id,
        reporting_period_start
    from ranked
    where contact_rank = 1 and {{ in_pathway_scope('pathway_id') }}
)

select * from final
