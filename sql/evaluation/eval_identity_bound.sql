-- The ideal evidence-only linker: it knows the truth but joins a duplicate record to the other
-- records of its human only with evidence beyond the name - a date of birth, a PNC id, or an
-- associate (another record in one of its incidents) it shares with another record of its
-- human; generously, every such record joins all of its human's others.
CREATE OR REPLACE TABLE int_person_identity AS
WITH n AS (
    SELECT p.person_id, t.human_id, p.date_of_birth, p.gender, p.pnc_id,
           NOT t.is_duplicate OR p.date_of_birth IS NOT NULL OR p.pnc_id IS NOT NULL AS evident
    FROM stg_persons p
    JOIN eval_truth t USING (person_id)
    WHERE p.is_current
),
ties AS (
    SELECT DISTINCT a.person_id, b.person_id AS associate
    FROM stg_involvements a
    JOIN stg_involvements b
      ON b.incident_id = a.incident_id AND b.person_id <> a.person_id AND b.is_current
    WHERE a.is_current
),
shared AS (
    SELECT DISTINCT x.person_id
    FROM ties x
    JOIN ties y ON y.associate = x.associate AND y.person_id <> x.person_id
    JOIN n nx ON nx.person_id = x.person_id
    JOIN n ny ON ny.person_id = y.person_id AND ny.human_id = nx.human_id
),
joined AS (
    SELECT n.*, n.evident OR s.person_id IS NOT NULL AS joins
    FROM n
    LEFT JOIN shared s USING (person_id)
),
resolved AS (
    SELECT *,
           CASE WHEN joins THEN min(person_id) FILTER (WHERE joins) OVER (PARTITION BY human_id)
                ELSE person_id END AS resolved_person_id
    FROM joined
)
SELECT person_id, resolved_person_id,
       count(*) OVER (PARTITION BY resolved_person_id) AS nominal_records, date_of_birth,
       gender, pnc_id IS NOT NULL AS has_pnc, NULL::VARCHAR AS identity_basis
FROM resolved
