-- Each person's human: the one behind most of its records (ties: the smallest id).
SELECT resolved_person_id, arg_max(human_id, n ORDER BY human_id) AS human_id
FROM (
    SELECT i.resolved_person_id, t.human_id, count(*) AS n
    FROM int_person_identity i
    JOIN eval_truth t USING (person_id)
    GROUP BY ALL
)
GROUP BY resolved_person_id
