-- identity_review.csv and the Identity review sheet: the review queue as the analyst sees it,
-- each probable link (or link cut by a hard constraint) with which fields agree or disagree, and what merging the two persons would do
-- to the list at the as-of date: create a serial perpetrator (together they meet the rule),
-- remove one (the two are both victims of a listed perpetrator who would drop below the
-- victims threshold), or change a listed perpetrator's record. Those come first.
WITH q AS (
    SELECT r.*,
        (SELECT count(DISTINCT incident_id) FROM int_qualifying_links l
         WHERE l.cycle = 'current'
           AND l.perpetrator_id IN (r.resolved_person_id_a, r.resolved_person_id_b)) AS incidents_merged,
        (SELECT count(DISTINCT victim_id) FROM int_qualifying_links l
         WHERE l.cycle = 'current'
           AND l.perpetrator_id IN (r.resolved_person_id_a, r.resolved_person_id_b)
           AND l.victim_id NOT IN (r.resolved_person_id_a, r.resolved_person_id_b)) AS victims_merged,
        (SELECT string_agg(m.perpetrator_id, ';' ORDER BY m.perpetrator_id) FROM mart_priority_list m
         WHERE m.perpetrator_id IN (r.resolved_person_id_a, r.resolved_person_id_b)) AS listed_ids,
        (SELECT string_agg(m.perpetrator_id, ';' ORDER BY m.perpetrator_id) FROM mart_priority_list m
         WHERE m.victims_in_window - 1 < $min_victims
           AND EXISTS (SELECT 1 FROM int_qualifying_links a
                       WHERE a.cycle = 'current' AND a.perpetrator_id = m.perpetrator_id
                         AND a.victim_id = r.resolved_person_id_a)
           AND EXISTS (SELECT 1 FROM int_qualifying_links b
                       WHERE b.cycle = 'current' AND b.perpetrator_id = m.perpetrator_id
                         AND b.victim_id = r.resolved_person_id_b)) AS removed_ids
    FROM identity_review_pairs r
),
effects AS (
    SELECT *,
        CASE WHEN removed_ids IS NOT NULL THEN 'removes ' || removed_ids
             WHEN listed_ids IS NULL AND incidents_merged >= $min_incidents
                  AND victims_merged >= $min_victims THEN 'creates a serial perpetrator'
             WHEN listed_ids IS NOT NULL THEN 'changes ' || listed_ids
        END AS list_effect
    FROM q
)
SELECT
    row_number() OVER (ORDER BY list_effect IS NULL, starts_with(coalesce(list_effect, ''), 'changes'),
                       match_probability DESC, person_id_a, person_id_b) AS review_rank,
    person_id_a, person_id_b, resolved_person_id_a, resolved_person_id_b,
    round(match_probability, 4) AS match_probability, why,
    list_effect,
    concat_ws(', ',
        CASE WHEN mw_forename > 0 THEN 'forename' END, CASE WHEN mw_surname > 0 THEN 'surname' END,
        CASE WHEN mw_dob > 0 THEN 'date of birth' END, CASE WHEN mw_gender > 0 THEN 'gender' END,
        CASE WHEN mw_pnc_id > 0 THEN 'PNC id' END,
        CASE WHEN mw_associates > 0 THEN 'shared associate' END) AS fields_agree,
    concat_ws(', ',
        CASE WHEN mw_forename < 0 THEN 'forename' END, CASE WHEN mw_surname < 0 THEN 'surname' END,
        CASE WHEN mw_dob < 0 THEN 'date of birth' END, CASE WHEN mw_gender < 0 THEN 'gender' END,
        CASE WHEN mw_pnc_id < 0 THEN 'PNC id' END,
        CASE WHEN mw_associates < 0 THEN 'no shared associate' END) AS fields_disagree,
    concat_ws(', ',
        CASE WHEN mw_forename = 0 THEN 'forename' END, CASE WHEN mw_surname = 0 THEN 'surname' END,
        CASE WHEN mw_dob = 0 THEN 'date of birth' END, CASE WHEN mw_gender = 0 THEN 'gender' END,
        CASE WHEN mw_pnc_id = 0 THEN 'PNC id' END) AS fields_missing
FROM effects
ORDER BY review_rank
