-- The mart's treatment and attended contact counts add up to the classified contacts
-- (no fan-out from a lookup join, no contact counted twice or dropped).
with

episodes as (
    select
        sum(treatment_contact_count) as treatment_contacts,
        sum(attended_contact_count) as attended_contacts
    from {{ ref('fct_referral_episodes') }}
),

contacts as (
    select
        sum(case when is_treatment_contact then 1 else 0 end) as treatment_contacts,
        sum(case when is_attended_in_window then 1 else 0 end) as attended_contacts
    from {{ ref('int_care_contacts_classified') }}
    where has_referral
),

final as (
    select
        episodes.treatment_contacts as episode_treatment_contacts,
        contacts.treatment_contacts as contact_treatment_contacts,
        episodes.attended_contacts as episode_attended_contacts,
        contacts.attended_contacts as contact_attended_contacts
    from episodes
    cross join contacts
    where
        coalesce(episodes.treatment_contacts, 0) != coalesce(contacts.treatment_contacts, 0)
        or coalesce(episodes.attended_contacts, 0) != coalesce(contacts.attended_contacts, 0)
)

select * from final
