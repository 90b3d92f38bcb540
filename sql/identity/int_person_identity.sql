-- Identity resolution: which person each current nominal belongs to. The resolved id is the
-- smallest person_id of the group (as text); `identity_basis` says why records were joined:
-- `pnc` (a shared PNC id), `linked p=0.998` (model links, the weakest one's probability,
-- rounded down), `analyst` (an analyst's decision); blank for a person of one nominal.
-- In no particular order: every reader joins or aggregates it (sorting took half the time).
CREATE OR REPLACE TABLE int_person_identity AS
WITH bases AS (
    SELECT c.resolved_person_id,
           bool_or(l.basis = 'pnc') AS by_pnc,
           min(l.probability) FILTER (WHERE l.basis = 'linked') AS weakest,
           bool_or(l.basis = 'analyst') AS by_analyst
    FROM identity_links l
    JOIN identity_cluster_rows c ON c.person_id = l.person_id_a
    WHERE l.status = 'accepted'
    GROUP BY c.resolved_person_id
)
SELECT
    p.person_id,
    coalesce(c.resolved_person_id, p.person_id) AS resolved_person_id,
    count(*) OVER (PARTITION BY coalesce(c.resolved_person_id, p.person_id)) AS nominal_records,
    p.date_of_birth,
    p.gender,
    p.pnc_id IS NOT NULL AS has_pnc,
    nullif(concat_ws('; ',
        CASE WHEN b.by_pnc THEN 'pnc' END,
        CASE WHEN b.weakest IS NOT NULL
             THEN 'linked p=' || printf('%.3f', floor(b.weakest * 1000) / 1000) END,
        CASE WHEN b.by_analyst THEN 'analyst' END), '') AS identity_basis
FROM stg_persons p
LEFT JOIN identity_cluster_rows c USING (person_id)  -- nominals no link touches: themselves
LEFT JOIN bases b ON b.resolved_person_id = c.resolved_person_id
WHERE p.is_current
