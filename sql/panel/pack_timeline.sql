SELECT * FROM panel_timeline ORDER BY pack_area, perpetrator_id, occurred_date, incident_id
