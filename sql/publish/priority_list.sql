-- In rank order (ranks are unique: the ranking itself ends with perpetrator_id).
SELECT * FROM mart_priority_list ORDER BY rank
