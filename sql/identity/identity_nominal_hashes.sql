-- Each current nominal's comparison features (its whole identity_nominals row) as a hash, and
-- whether it is new or changed since the kept pairs were scored.
CREATE OR REPLACE TEMP TABLE identity_nominal_hashes AS
SELECT n.person_id, h.feature_hash, k.feature_hash IS DISTINCT FROM h.feature_hash AS changed
FROM identity_nominals n
CROSS JOIN LATERAL (SELECT md5(CAST(n AS VARCHAR)) AS feature_hash) h
LEFT JOIN identity_kept_nominals k USING (person_id)
