-- identity_review.csv and the Identity review sheet: the review queue as the analyst sees it,
-- each probable link (or link cut by a hard constraint) with which fields agree or disagree, and what merging the two persons would do
-- to the list at the as-of date: create a serial perpetrator (together they meet the rule),
-- remove one (the two are both victims of a listed perpetrator who would drop below the
-- victims threshold), or change a listed perpetrator's record. Those come first.
-- (Joins, not correlated subqueries: one pass over the qualifying links for the whole queue.)
WITH sides AS (
    SELECT DISTINCT person_id_a, person_id_b,
        unnest([resolved_person_id_a, resolved_person_id_b]) AS side,
        resolved_person_id_a AS ra, resolved_person_id_b AS rb
    FROM identity_review_pairs
),
current_links AS (
    SELECT perpetrator_id, victim_id, incident_id FROM int_qualifying_links WHERE cycle = 'current'
),
merged AS (
    SELECT s.person_id_a, s.person_id_b,
        count(DISTINCT l.incident_id) AS incidents_merged,
        count(DISTINCT l.victim_id) FILTER (WHERE l.victim_id NOT IN (s.ra, s.rb)) AS victims_merged
    FROM sides s JOIN current_links l ON l.perpetrator_id = s.side
    GROUP BY ALL
),
listed AS (
    SELECT s.person_id_a, s.person_id_b,
        string_agg(DISTINCT m.perpetrator_id, ';' ORDER BY m.perpetrator_id) AS listed_ids
    FROM sides s JOIN mart_priority_list m ON m.perpetrator_id = s.side
    GROUP BY ALL
),
removed AS (
    SELECT r.person_id_a, r.person_id_b,
        string_agg(DISTINCT m.perpetrator_id, ';' ORDER BY m.perpetrator_id) AS removed_ids
    FROM identity_review_pairs r
    JOIN current_links a ON a.victim_id = r.resolved_person_id_a
    JOIN current_links b ON b.victim_id = r.resolved_person_id_b AND b.perpetrator_id = a.perpetrator_id
    JOIN mart_priority_list m ON m.perpetrator_id = a.perpetrator_id
    WHERE m.victims_in_window - 1 < $min_victims
    GROUP BY ALL
),
q AS (
    SELECT r.*, coalesce(g.incidents_merged, 0) AS incidents_merged,
        coalesce(g.victims_merged, 0) AS victims_merged, t.listed_ids, x.removed_ids
    FROM identity_review_pairs r
    LEFT JOIN merged g USING (person_id_a, person_id_b)
    LEFT JOIN listed t USING (person_id_a, person_id_b)
    LEFT JOIN removed x USING (person_id_a, person_id_b)
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
