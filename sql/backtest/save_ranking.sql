-- One model's rankings at every cycle date, as the rule ranked them.
INSERT INTO bt_rankings
SELECT $model, as_of, perpetrator_id, rank, rfg_score
FROM int_perpetrator_scores
