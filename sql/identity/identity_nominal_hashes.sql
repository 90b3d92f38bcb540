-- Each current nominal's comparison features (its whole identity_nominals row) as a 64-bit
-- hash (DuckDB's hash of the row: ~20x faster than md5 of its text; DuckDB's version is in the
-- fingerprint), and whether it is new or changed since the kept pairs were scored.
CREATE OR REPLACE TEMP TABLE identity_nominal_hashes AS
SELECT n.person_id, hash(n) AS feature_hash,
       k.feature_hash IS DISTINCT FROM hash(n) AS changed
FROM identity_nominals n
LEFT JOIN identity_kept_nominals k USING (person_id)
