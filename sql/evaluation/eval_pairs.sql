-- Pairs of nominal records put in one person (predicted), of one human (true), and both.
WITH linked AS (
    SELECT i.person_id, i.resolved_person_id, t.human_id
    FROM int_person_identity i
    JOIN eval_truth t USING (person_id)
)
SELECT
    (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM linked GROUP BY resolved_person_id)) AS predicted,
    (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM linked GROUP BY human_id)) AS true_pairs,
    (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM linked
                                        GROUP BY resolved_person_id, human_id)) AS correct
