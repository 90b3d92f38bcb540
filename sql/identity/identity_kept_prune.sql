-- Forget the kept pairs of a nominal that changed or is gone (they are scored again or dropped).
DELETE FROM identity_kept_pairs
WHERE person_id_l NOT IN (SELECT person_id FROM identity_nominal_hashes WHERE NOT changed)
   OR person_id_r NOT IN (SELECT person_id FROM identity_nominal_hashes WHERE NOT changed)
