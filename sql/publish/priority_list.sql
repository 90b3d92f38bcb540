SELECT * FROM mart_priority_list ORDER BY rank
