-- Each current nominal's person (from the clustering in pipeline/identity/cluster.py).
CREATE OR REPLACE TABLE identity_cluster_rows AS
SELECT person_id, resolved_person_id FROM identity_cluster_arrow ORDER BY person_id
