-- Every kept pair's match weight and probability, computed here (not by Splink) from the
-- comparison levels Splink found (identity_kept_pairs), the model's weight per level
-- (identity_level_weights: log2 m/u, and for a term-frequency adjusted level its exact match's
-- log2 u, the adjustment weight and minimum u), this run's name frequencies (identity_tf) and
-- this run's prior ($prior_weight = log2 of the prior odds). Splink's formulas: a
-- term-frequency adjustment is weight * (log2 u_exact - log2 greatest(tf, minimum u)); the
-- match weight sums the prior's and every field's; probability = 2^w / (1 + 2^w). A full and
-- an incremental run use this same statement, so they agree to the bit.
CREATE OR REPLACE TEMP TABLE identity_pair_weights AS
WITH pairs AS (
    SELECT p.*, l.forename AS forename_l, r.forename AS forename_r,
           l.surname AS surname_l, r.surname AS surname_r
    FROM identity_kept_pairs p
    JOIN identity_nominals l ON l.person_id = p.person_id_l
    JOIN identity_nominals r ON r.person_id = p.person_id_r
),
parts AS (
    SELECT p.person_id_l, p.person_id_r, p.match_key,
        wf.mw AS mw_forename,
        CASE WHEN wf.tf_weight IS NOT NULL AND coalesce(fl.tf, fr.tf) IS NOT NULL
             THEN wf.tf_weight * (wf.tf_log2_u - log2(greatest(
                 coalesce(fl.tf, fr.tf), coalesce(fr.tf, fl.tf), wf.tf_min_u)))
             ELSE 0 END AS mw_tf_adj_forename,
        ws.mw AS mw_surname,
        CASE WHEN ws.tf_weight IS NOT NULL AND coalesce(sl.tf, sr.tf) IS NOT NULL
             THEN ws.tf_weight * (ws.tf_log2_u - log2(greatest(
                 coalesce(sl.tf, sr.tf), coalesce(sr.tf, sl.tf), ws.tf_min_u)))
             ELSE 0 END AS mw_tf_adj_surname,
        wd.mw AS mw_dob, wg.mw AS mw_gender, wp.mw AS mw_pnc_id, wa.mw AS mw_associates
    FROM pairs p
    LEFT JOIN identity_level_weights wf ON wf.field = 'forename' AND wf.gamma = p.gamma_forename
    LEFT JOIN identity_level_weights ws ON ws.field = 'surname' AND ws.gamma = p.gamma_surname
    LEFT JOIN identity_level_weights wd ON wd.field = 'dob' AND wd.gamma = p.gamma_dob
    LEFT JOIN identity_level_weights wg ON wg.field = 'gender' AND wg.gamma = p.gamma_gender
    LEFT JOIN identity_level_weights wp ON wp.field = 'pnc_id' AND wp.gamma = p.gamma_pnc_id
    LEFT JOIN identity_level_weights wa ON wa.field = 'associates' AND wa.gamma = p.gamma_associates
    LEFT JOIN identity_tf fl ON fl.field = 'forename' AND fl.value = p.forename_l
    LEFT JOIN identity_tf fr ON fr.field = 'forename' AND fr.value = p.forename_r
    LEFT JOIN identity_tf sl ON sl.field = 'surname' AND sl.value = p.surname_l
    LEFT JOIN identity_tf sr ON sr.field = 'surname' AND sr.value = p.surname_r
),
weighted AS (
    SELECT *,
        CAST($prior_weight AS DOUBLE) + mw_forename + mw_tf_adj_forename + mw_surname
            + mw_tf_adj_surname + mw_dob + mw_gender + mw_pnc_id + mw_associates AS match_weight
    FROM parts
)
SELECT *,
    CASE WHEN match_weight >= 0 THEN 1.0 / (1.0 + power(CAST(2 AS DOUBLE), -match_weight))
         ELSE power(CAST(2 AS DOUBLE), match_weight)
              / (1.0 + power(CAST(2 AS DOUBLE), match_weight))
    END AS match_probability
FROM weighted
