-- A catalogue measure with an official id (in the measure dictionary) carries the
-- dictionary's name exactly: the official files publish the catalogue's name. Fails for
-- every id whose names differ.
with

catalogue as (select * from {{ ref('measure_catalogue') }}),

dictionary as (

    select distinct
        measure_id,
        measure_name
    from {{ ref('official_measure_dictionary') }}
    where measure_type <> 'Variable'

)

select
    catalogue.measure_id,
    catalogue.measure_name,
    dictionary.measure_name as dictionary_name
from catalogue
inner join dictionary on catalogue.measure_id = dictionary.measure_id
where catalogue.measure_name <> dictionary.measure_name
