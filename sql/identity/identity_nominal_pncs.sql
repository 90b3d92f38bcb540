-- The nominals some link touches (a PNC id shared with another nominal, a model link at or
-- above the link threshold, an analyst decision), with their PNC ids, for the clustering and its
-- constraint; every other nominal is a person of its own.
WITH shared AS (
    SELECT pnc_id FROM stg_persons
    WHERE is_current AND pnc_id IS NOT NULL
    GROUP BY pnc_id HAVING count(*) > 1
),
linked AS (
    SELECT person_id_a AS person_id FROM identity_candidate_pairs
    WHERE match_probability >= $link_threshold
    UNION SELECT person_id_b FROM identity_candidate_pairs
    WHERE match_probability >= $link_threshold
    UNION SELECT person_id_a FROM identity_decisions
    UNION SELECT person_id_b FROM identity_decisions
)
SELECT person_id, pnc_id
FROM stg_persons
WHERE is_current
  AND (pnc_id IN (SELECT pnc_id FROM shared) OR person_id IN (SELECT person_id FROM linked))
ORDER BY person_id
