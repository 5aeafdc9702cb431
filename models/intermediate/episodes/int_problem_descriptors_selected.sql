-- One row per pathway_id: the referral's problem descriptor. The last recorded
-- presenting complaint of the state submission wins: primary (PresCompCodSig '1')
-- over secondary ('2') over anything else, then the latest PresCompDate, then the
-- highest code. Its ICD-10 code maps to a descriptor and ADSM by the longest matching
-- prefix in code_problem_descriptor ('' matches anything); a referral with no
-- complaint gets the seed's 'Not recorded' row.
with

referrals as (select * from {{ ref('int_referrals_windowed') }}),

presenting_complaints as (select * from {{ ref('int_presenting_complaints_selected') }}),

problem_descriptors as (select * from {{ ref('code_problem_descriptor') }}),

prefixes as (
    -- A CSV seed may load the catch-all prefix '' as null: it is '' here.
    select
        coalesce(icd10_prefix, '') as icd10_prefix,
        problem_descriptor,
        cast(adsm_code as {{ dbt.type_string() }}) as adsm_code
    from problem_descriptors
    where problem_descriptor != 'Not recorded'
),

complaints_normalised as (
    select
        pathway_id,
        upper(replace(trim(presenting_complaint_code), '.', '')) as problem_descriptor_code,
        presenting_complaint_significance,
        presenting_complaint_date
    from presenting_complaints
    where
        presenting_complaint_code is not null
        and trim(presenting_complaint_code) != ''
),

complaints_ordered as (
    select
        pathway_id,
        problem_descriptor_code,
        row_number() over (
            partition by pathway_id
            order by
                case presenting_complaint_significance
                    when '1' then 1
                    when '2' then 2
                    else 3
                end,
                presenting_complaint_date desc,
                problem_descriptor_code desc
        ) as complaint_order
    from complaints_normalised
),

last_complaints as (
    select
        pathway_id,
        problem_descriptor_code
    from complaints_ordered
    where complaint_order = 1
),

distinct_codes as (
    select distinct problem_descriptor_code
    from last_complaints
),

prefix_matches as (
    -- Matched once per distinct code (a few thousand), not once per referral.
    select
        distinct_codes.problem_descriptor_code,
        prefixes.problem_descriptor,
        prefixes.adsm_code,
        row_number() over (
            partition by distinct_codes.problem_descriptor_code
            order by length(prefixes.icd10_prefix) desc
        ) as match_order
    from distinct_codes
    inner join prefixes
        on
            distinct_codes.problem_descriptor_code
            like {{ dbt.concat(['prefixes.icd10_prefix', "'%'"]) }}
),

best_matches as (
    select
        last_complaints.pathway_id,
        last_complaints.problem_descriptor_code,
        prefix_matches.problem_descriptor,
        prefix_matches.adsm_code
    from last_complaints
    inner join prefix_matches
        on
            last_complaints.problem_descriptor_code = prefix_matches.problem_descriptor_code
            and prefix_matches.match_order = 1
),

not_recorded as (
    select
        problem_descriptor,
        cast(adsm_code as {{ dbt.type_string() }}) as adsm_code
    from problem_descriptors
    where problem_descriptor = 'Not recorded'
),

final as (
    select
        referrals.pathway_id,
        best_matches.problem_descriptor_code,
        coalesce(best_matches.problem_descriptor, not_recorded.problem_descriptor)
            as problem_descriptor,
        coalesce(best_matches.adsm_code, not_recorded.adsm_code) as adsm_code
    from referrals
    left join not_recorded
        on 1 = 1
    left join best_matches
        on referrals.pathway_id = best_matches.pathway_id
)

select * from final
