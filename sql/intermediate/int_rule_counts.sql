SELECT
    (SELECT count(DISTINCT perpetrator_id) FROM int_qualifying_incidents WHERE cycle = 'current')
        AS perpetrators_with_qualifying_incidents,
    (SELECT count(*) FROM int_qualifying_incidents WHERE cycle = 'current') AS qualifying_incident_rows,
    (SELECT count(*) FROM int_perpetrator_scores WHERE cycle = 'current') AS serial_perpetrators
