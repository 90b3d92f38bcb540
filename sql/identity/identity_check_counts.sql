-- The identity checks: persons holding two or more PNC ids (must be none), persons holding
-- more nominal records than identity.max_cluster_size.
SELECT
    (SELECT count(*) FROM (
        SELECT i.resolved_person_id
        FROM int_person_identity i JOIN stg_persons p USING (person_id)
        WHERE i.nominal_records > 1  -- one record holds one PNC id at most
          AND p.is_current AND p.pnc_id IS NOT NULL
        GROUP BY i.resolved_person_id
        HAVING count(DISTINCT p.pnc_id) > 1)) AS persons_with_two_pnc_ids,
    (SELECT count(DISTINCT resolved_person_id) FROM int_person_identity
     WHERE nominal_records > $max_cluster_size) AS oversized_persons
