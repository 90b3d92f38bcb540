-- The pairs scored at or above the review threshold (identity_pair_weights): the two nominals
-- (a < b), the match probability and weight, and each field's match weight (log2 Bayes factor:
-- > 0 the field agrees, < 0 it disagrees, 0 missing on a side; names include the
-- term-frequency adjustment). No names or dates of birth.
CREATE OR REPLACE TABLE identity_candidate_pairs AS
SELECT
    least(person_id_l, person_id_r) AS person_id_a,
    greatest(person_id_l, person_id_r) AS person_id_b,
    round(match_probability, 9) AS match_probability,
    round(match_weight, 6) AS match_weight,
    round(mw_forename + coalesce(mw_tf_adj_forename, 0), 3) AS mw_forename,
    round(mw_surname + coalesce(mw_tf_adj_surname, 0), 3) AS mw_surname,
    round(mw_dob, 3) AS mw_dob, round(mw_gender, 3) AS mw_gender,
    round(mw_pnc_id, 3) AS mw_pnc_id, round(mw_associates, 3) AS mw_associates,
    match_key
FROM identity_pair_weights
WHERE match_probability >= $review_threshold
ORDER BY person_id_a, person_id_b
