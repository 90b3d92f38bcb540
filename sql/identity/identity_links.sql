-- Every link the clustering was offered and what became of it: `accepted` (it joined two
-- groups), `redundant` (already one group) or `cut` (it would have put two PNC ids, or two
-- nominals an analyst keeps apart, in one person; `reason` says which).
CREATE OR REPLACE TABLE identity_links AS
SELECT least(a, b) AS person_id_a, greatest(a, b) AS person_id_b, basis, probability, status,
       reason
FROM identity_link_rows
ORDER BY person_id_a, person_id_b, basis
