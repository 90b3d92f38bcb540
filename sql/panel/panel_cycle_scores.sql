-- The list at each adoption's cycle date, for everyone serial then (candidates: at least
-- min_incidents incidents and min_victims victims in that window), scored by panel_rfg_at.
CREATE OR REPLACE TABLE panel_cycle_scores AS
WITH cycles AS (SELECT DISTINCT cycle_date FROM panel_episodes),
candidates AS (
    SELECT l.perpetrator_id, c.cycle_date AS eval_date
    FROM cycles c
    CROSS JOIN panel_params pp
    JOIN panel_links l
        ON l.occurred_date BETWEEN (c.cycle_date - to_years(pp.window_years))::DATE AND c.cycle_date
    GROUP BY l.perpetrator_id, c.cycle_date
    HAVING count(DISTINCT l.incident_id) >= any_value(pp.min_incidents)
       AND count(DISTINCT l.victim_id) >= any_value(pp.min_victims)
)
SELECT * FROM panel_rfg_at('candidates') WHERE listed
