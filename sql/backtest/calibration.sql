-- Calibration: for each scored model ($scored, in order) and score band (its score value), over
-- every measured date: how many listed persons had that score, their mean future harm and the
-- shares who offended again (any future qualifying incident) and seriously.
SELECT s.model, b.score,
       count(*) AS persons,
       round(avg(b.harm)::DOUBLE, 6) AS mean_future_harm,
       round(avg(b.repeat::INTEGER), 6) AS repeat_share,
       round(avg(b.serious::INTEGER), 6) AS serious_share
FROM bt_scored b
JOIN (SELECT unnest($scored) AS model, generate_subscripts($scored, 1) AS position) s
    USING (model)
GROUP BY s.position, s.model, b.score
ORDER BY s.position, b.score DESC
