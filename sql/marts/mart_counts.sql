SELECT (SELECT count(*) FROM mart_priority_list) AS listed,
       (SELECT count(*) FROM mart_left_list) AS left_list
