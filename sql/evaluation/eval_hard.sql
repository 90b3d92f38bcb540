-- Duplicate nominals that share no PNC id with another record of their human, by how the harsh
-- copy varied the name (`variation`) and whether the date of birth is missing: how many, and the
-- share joined to another record of their human.
WITH n AS (
    SELECT i.person_id, t.human_id, t.is_duplicate, t.variation,
           p.date_of_birth IS NULL AS no_dob,
           count(*) OVER (PARTITION BY t.human_id, i.resolved_person_id) > 1 AS joined,
           p.pnc_id IS NOT NULL
               AND count(*) OVER (PARTITION BY t.human_id, p.pnc_id) > 1 AS pnc_shared
    FROM int_person_identity i
    JOIN eval_truth t USING (person_id)
    JOIN stg_persons p USING (person_id)
    WHERE p.is_current
)
SELECT variation, no_dob, count(*) AS duplicates, round(avg(joined::INT), 4) AS joined
FROM n
WHERE is_duplicate AND NOT pnc_shared
GROUP BY ALL
ORDER BY variation, no_dob
