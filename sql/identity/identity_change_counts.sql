-- Before scoring: nominals new or changed since the kept pairs were scored, and the kept pairs
-- that touch none of them (or a nominal that is gone): reused as they are.
WITH unchanged AS (SELECT person_id FROM identity_nominal_hashes WHERE NOT changed)
SELECT (SELECT count(*) FROM identity_nominal_hashes WHERE changed) AS nominals_changed,
       (SELECT count(*) FROM identity_kept_pairs
        WHERE person_id_l IN (FROM unchanged) AND person_id_r IN (FROM unchanged)) AS pairs_reused
