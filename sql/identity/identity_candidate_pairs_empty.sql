-- PNC-only identity (identity.method: pnc_only): no model, no candidate pairs.
CREATE OR REPLACE TABLE identity_candidate_pairs (
    person_id_a VARCHAR, person_id_b VARCHAR, match_probability DOUBLE, match_weight DOUBLE,
    mw_forename DOUBLE, mw_surname DOUBLE, mw_dob DOUBLE, mw_gender DOUBLE,
    mw_pnc_id DOUBLE, mw_associates DOUBLE, match_key VARCHAR
)
