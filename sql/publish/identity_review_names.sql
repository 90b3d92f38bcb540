-- Names for the review queue, only when output.include_names is on.
SELECT p.person_id, p.surname, p.forenames
FROM stg_persons p
WHERE p.is_current
  AND (p.person_id IN (SELECT person_id_a FROM identity_review_pairs)
       OR p.person_id IN (SELECT person_id_b FROM identity_review_pairs))
