-- sqlfluff:indentation:template_blocks_indent:false
{{ config(post_hook="{{ pathway_scope_record('int_pathways_changed') }}") }}
-- depends_on: {{ ref('stg_iapt_v2__care_contacts') }}
-- depends_on: {{ ref('stg_iapt_v2__employment_statuses') }}
{#- One row per PathwayID whose derived rows must be rebuilt in this run (the scope of
    the models tagged 'pathway_scoped'; docs/incremental.md). A referral is re-derived
    when any used submission that held or now holds one of its rows changed: newly used,
    no longer used, or its folder re-read. Its previous rows are found in the models'
    own tables, its new ones in staging. Everything is in scope on a first build or when
    a model has no record of what it applied. -#}
{%- set plan = pathway_scope_plan(this) %}
{%- set scoped_models, log, previous = plan.scoped_models, plan.log, plan.previous %}
{%- set full_scope = plan.full_scope %}

with

referrals as (
    select * from {{ ref('stg_iapt_v2__referrals') }}
),

{%- if full_scope %}

changed_pathways as (
    select pathway_id from referrals
    {%- if previous.get('int_referrals_selected') is not none %}
    union
    select pathway_id from {{ previous.int_referrals_selected }}
    {%- endif %}
),

{%- else %}

selection as (
    {{ pathway_scope_current_selection() }}
),

used as (
    select unique_submission_id from selection
),

care_contacts as (
    select * from {{ ref('stg_iapt_v2__care_contacts') }}
),

employment_statuses as (
    select * from {{ ref('stg_iapt_v2__employment_statuses') }}
),

applied as (
    select * from {{ log }}
    where model_name in ('{{ scoped_models | join("', '") }}')
),

-- a (submission, folder signature) is unchanged only when it is used now and every
-- scoped model has applied it
changed_submissions as (
    select unique_submission_id
    from (
        select
            unique_submission_id,
            folder_signature
        from selection
        union all
        select
            unique_submission_id,
            folder_signature
        from applied
    ) as snapshots
    group by unique_submission_id, folder_signature
    having count(*) < {{ scoped_models | length + 1 }}
),

as_at_ends as (
    select
        model_name,
        max(reporting_period_end) as as_at_month_end
    from applied
    group by model_name
    union all
    select
        'current' as model_name,
        max(reporting_period_end) as as_at_month_end
    from selection
),

as_at_change as (
    -- a moved as-at month re-opens the window of every referral still open at the
    -- earlier of the two month ends
    select min(as_at_month_end) as earliest_month_end
    from as_at_ends
    having count(distinct as_at_month_end) > 1
),

previous_referrals as (
    select * from {{ previous.int_referrals_selected }}
),

previous_care_contacts as (
    select * from {{ previous.int_care_contacts_selected }}
),

touched_contact_keys as (
    -- a contact sent by a changed submission can move between referrals (rule 5)
    select distinct
        contact_keys.provider_code,
        contact_keys.care_contact_id
    from (
        select
            provider_code,
            care_contact_id,
            unique_submission_id
        from care_contacts
        union all
        select
            provider_code,
            care_contact_id,
            unique_submission_id
        from previous_care_contacts
    ) as contact_keys
    inner join changed_submissions
        on contact_keys.unique_submission_id = changed_submissions.unique_submission_id
),

touched_patients as (
    -- employment rows belong to the patient of the referral's state (rule 6)
    select
        employment_statuses.provider_code,
        employment_statuses.local_patient_id
    from employment_statuses
    inner join changed_submissions
        on employment_statuses.unique_submission_id = changed_submissions.unique_submission_id
    {%- if previous.get('int_employment_statuses_selected') is not none %}
    union
    select
        previous_statuses.provider_code,
        previous_statuses.local_patient_id
    from {{ previous.int_employment_statuses_selected }} as previous_statuses
    inner join changed_submissions
        on previous_statuses.unique_submission_id = changed_submissions.unique_submission_id
    {%- endif %}
),

pathways_by_submission as (
    -- new rows: every event row of a submission has its referral in the same
    -- submission's IDS101 (staging rejects orphans), so the referrals suffice
    select
        pathway_id,
        unique_submission_id
    from referrals
    union all
    -- rows applied before from a submission that changed or went
    select
        pathway_id,
        unique_submission_id
    from previous_referrals
    union all
    select
        pathway_id,
        unique_submission_id
    from previous_care_contacts
    union all
    select
        pathway_id,
        unique_submission_id
    from {{ previous.int_coded_scores_selected }}
),

changed_pathways as (
    select pathways_by_submission.pathway_id
    from pathways_by_submission
    inner join changed_submissions
        on pathways_by_submission.unique_submission_id = changed_submissions.unique_submission_id
    union
    -- every referral holding a contact whose winning row may change
    select care_contacts.pathway_id
    from care_contacts
    inner join used
        on care_contacts.unique_submission_id = used.unique_submission_id
    inner join touched_contact_keys
        on care_contacts.provider_code = touched_contact_keys.provider_code
            and care_contacts.care_contact_id = touched_contact_keys.care_contact_id
    union
    select previous_care_contacts.pathway_id
    from previous_care_contacts
    inner join touched_contact_keys
        on previous_care_contacts.provider_code = touched_contact_keys.provider_code
            and previous_care_contacts.care_contact_id = touched_contact_keys.care_contact_id
    union
    -- referrals whose patient gained or lost employment rows
    select previous_referrals.pathway_id
    from previous_referrals
    inner join touched_patients
        on previous_referrals.provider_code = touched_patients.provider_code
            and previous_referrals.local_patient_id = touched_patients.local_patient_id
    union
    select previous_referrals.pathway_id
    from previous_referrals
    cross join as_at_change
    where
        previous_referrals.discharge_date is null
        or previous_referrals.discharge_date < previous_referrals.referral_received_date
        or previous_referrals.discharge_date > as_at_change.earliest_month_end
),

{%- endif %}

final as (
    select distinct pathway_id
    from changed_pathways
    where pathway_id is not null
)

select * from final
