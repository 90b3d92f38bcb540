-- Who left the list, in their previous rank order (ranks are unique: a total order).
SELECT * FROM mart_left_list ORDER BY previous_rank
