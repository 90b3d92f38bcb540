SELECT * FROM mart_priority_incidents ORDER BY rank, occurred_date DESC, incident_id
