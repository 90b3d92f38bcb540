-- Persons holding two PNC ids (must be none).
SELECT count(*) AS two_pnc_persons
FROM (
    SELECT i.resolved_person_id
    FROM int_person_identity i
    JOIN stg_persons p USING (person_id)
    WHERE p.is_current AND p.pnc_id IS NOT NULL
    GROUP BY ALL
    HAVING count(DISTINCT p.pnc_id) > 1
)
