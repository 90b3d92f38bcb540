-- The published priority list: one row per serial perpetrator at the as-of date, in rank order,
-- with the source nominal ids merged into the person (in text order), the movement since the
-- last cycle, the person's area (mart_perpetrator_areas) and panel status (mart_panel_status).
-- Ranks are unique (see int_perpetrator_scores), so the order is total.
CREATE OR REPLACE TABLE mart_priority_list AS
WITH merged AS (
    SELECT i.resolved_person_id AS perpetrator_id,
           string_agg(i.person_id, ';' ORDER BY i.person_id) AS merged_person_ids,
           any_value(i.identity_basis) AS identity_basis
    FROM int_person_identity i
    SEMI JOIN int_perpetrator_scores s
        ON s.perpetrator_id = i.resolved_person_id AND s.cycle = 'current'
    GROUP BY i.resolved_person_id
),
previous AS (
    SELECT perpetrator_id, rank AS previous_rank
    FROM int_perpetrator_scores
    WHERE cycle = 'previous'
)
SELECT
    s.rank, s.perpetrator_id, s.rfg_score,
    s.recency_points, s.frequency_points, s.gravity_points, s.victims_points,
    s.incidents_in_window, s.victims_in_window, s.last_incident_date,
    s.days_since_last_incident, s.gravity_total,
    m.merged_person_ids, m.identity_basis, s.high_risk_incidents,
    s.most_serious_offence, s.most_serious_offence_description,
    p.previous_rank,
    CASE WHEN p.previous_rank IS NULL THEN 'new'
         WHEN p.previous_rank > s.rank THEN 'up ' || (p.previous_rank - s.rank)
         WHEN p.previous_rank < s.rank THEN 'down ' || (s.rank - p.previous_rank)
         ELSE 'same' END AS movement,
    s.as_of,
    a.area, st.panel_status
FROM int_perpetrator_scores s
LEFT JOIN merged m USING (perpetrator_id)
LEFT JOIN previous p USING (perpetrator_id)
LEFT JOIN mart_perpetrator_areas a ON a.perpetrator_id = s.perpetrator_id AND a.cycle = 'current'
LEFT JOIN mart_panel_status st ON st.perpetrator_id = s.perpetrator_id
WHERE s.cycle = 'current'
ORDER BY s.rank
