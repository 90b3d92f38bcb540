-- The perpetrators on the list at the as-of date.
SELECT perpetrator_id FROM int_perpetrator_scores WHERE cycle = 'current'
