-- Every link offered to the clustering: nominals sharing a PNC id (each to the smallest
-- person_id of its PNC), model links at or above the link threshold, analyst `same` decisions.
SELECT person_id AS a, min(person_id) OVER (PARTITION BY pnc_id) AS b, 'pnc' AS basis,
       1.0::DOUBLE AS probability
FROM stg_persons
WHERE is_current AND pnc_id IS NOT NULL
QUALIFY a <> b
UNION ALL
SELECT person_id_a, person_id_b, 'linked', match_probability
FROM identity_candidate_pairs
WHERE match_probability >= $link_threshold
UNION ALL
SELECT person_id_a, person_id_b, 'analyst', 1.0
FROM identity_decisions
WHERE decision = 'same'
