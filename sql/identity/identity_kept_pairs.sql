-- Incremental linking: every pair of nominals the model's blocking rules give (not only those
-- above the review threshold), with the comparison level (gamma) of each field as Splink
-- evaluated it, kept from run to run. A pair is scored again only when one of its nominals is
-- new or changed (identity_nominal_hashes). Ids and levels only: no names or dates of birth.
CREATE TABLE IF NOT EXISTS identity_kept_pairs (
    person_id_l VARCHAR, person_id_r VARCHAR, match_key VARCHAR,
    gamma_forename INTEGER, gamma_surname INTEGER, gamma_dob INTEGER, gamma_gender INTEGER,
    gamma_pnc_id INTEGER, gamma_associates INTEGER
)
