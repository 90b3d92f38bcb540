SELECT perpetrator_id, eval_date, listed, rfg_score FROM panel_trajectory
ORDER BY perpetrator_id, eval_date
