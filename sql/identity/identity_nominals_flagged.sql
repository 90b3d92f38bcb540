-- What Splink scores: the nominals with their `changed` flag (the blocking rules ask for a
-- changed side). A plain table (Splink reads it on its own cursor; a temporary one it cannot
-- see); dropped after scoring. Unordered: what Splink finds for a pair does not depend on it.
CREATE OR REPLACE TABLE identity_nominals_flagged AS
SELECT n.*, h.changed
FROM identity_nominals n
JOIN identity_nominal_hashes h USING (person_id)
