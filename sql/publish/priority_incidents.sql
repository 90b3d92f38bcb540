-- By rank, then newest incident first; incident_id breaks same-day ties (a total order: one
-- row per listed perpetrator and incident).
SELECT * FROM mart_priority_incidents ORDER BY rank, occurred_date DESC, incident_id
