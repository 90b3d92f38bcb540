-- Keep the pairs Splink has just scored (identity_scored: a view of its predictions).
INSERT INTO identity_kept_pairs
SELECT person_id_l, person_id_r, match_key, gamma_forename, gamma_surname, gamma_dob,
       gamma_gender, gamma_pnc_id, gamma_associates
FROM identity_scored
