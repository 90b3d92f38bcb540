-- Exact identity resolution: nominal records sharing a pnc_id are one person, whose id is the
-- smallest person_id of the group (as text). Records without a pnc_id stand alone, and two
-- different pnc_ids are never merged.
CREATE OR REPLACE TABLE int_person_identity AS
SELECT
    person_id,
    CASE WHEN pnc_id IS NULL THEN person_id
         ELSE min(person_id) OVER (PARTITION BY pnc_id) END AS resolved_person_id,
    CASE WHEN pnc_id IS NULL THEN 1
         ELSE count(*) OVER (PARTITION BY pnc_id) END AS nominal_records,
    date_of_birth,
    gender,
    pnc_id IS NOT NULL AS has_pnc
FROM stg_persons
WHERE is_current
