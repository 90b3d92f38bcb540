-- The person of each nominal that is in a group of two or more (from the clustering in
-- pipeline/identity/cluster.py); any other nominal is a person of its own.
CREATE OR REPLACE TABLE identity_cluster_rows AS
SELECT person_id, resolved_person_id FROM identity_cluster_arrow
WHERE resolved_person_id IN (SELECT resolved_person_id FROM identity_cluster_arrow
                             GROUP BY resolved_person_id HAVING count(*) > 1)
ORDER BY person_id
