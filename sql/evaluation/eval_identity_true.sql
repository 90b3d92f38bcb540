-- Every current nominal resolved to its true human (the truth list is the rule applied to it).
CREATE OR REPLACE TABLE int_person_identity AS
SELECT p.person_id, min(p.person_id) OVER (PARTITION BY t.human_id) AS resolved_person_id,
       count(*) OVER (PARTITION BY t.human_id) AS nominal_records, p.date_of_birth,
       p.gender, p.pnc_id IS NOT NULL AS has_pnc, NULL::VARCHAR AS identity_basis
FROM stg_persons p
JOIN eval_truth t USING (person_id)
WHERE p.is_current
