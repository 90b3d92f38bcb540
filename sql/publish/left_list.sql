SELECT * FROM mart_left_list ORDER BY previous_rank
