-- The analyst's review queue: probable links below the link threshold (the review band) whose
-- nominals are still two persons, and links cut by a hard constraint. Pairs the analyst has
-- already decided are left out. Field match weights as in identity_candidate_pairs.
CREATE OR REPLACE TABLE identity_review_pairs AS
WITH queued AS (
    SELECT person_id_a, person_id_b, 'review_band' AS why
    FROM identity_candidate_pairs
    WHERE match_probability < $link_threshold
    UNION ALL
    SELECT person_id_a, person_id_b, 'cut: ' || reason
    FROM identity_links
    WHERE status = 'cut' AND basis <> 'pnc'
)
SELECT q.person_id_a, q.person_id_b,
       ia.resolved_person_id AS resolved_person_id_a, ib.resolved_person_id AS resolved_person_id_b,
       coalesce(c.match_probability, 1.0) AS match_probability, q.why,
       c.mw_forename, c.mw_surname, c.mw_dob, c.mw_gender, c.mw_pnc_id, c.mw_associates
FROM queued q
JOIN int_person_identity ia ON ia.person_id = q.person_id_a
JOIN int_person_identity ib ON ib.person_id = q.person_id_b
LEFT JOIN identity_candidate_pairs c USING (person_id_a, person_id_b)
WHERE ia.resolved_person_id <> ib.resolved_person_id
  AND NOT EXISTS (SELECT 1 FROM identity_decisions d
                  WHERE d.person_id_a = q.person_id_a AND d.person_id_b = q.person_id_b)
ORDER BY match_probability DESC, q.person_id_a, q.person_id_b
