SELECT * FROM panel_members ORDER BY area, area_rank
