SELECT reason, count(*) FROM panel_decisions_checked WHERE reason IS NOT NULL
GROUP BY reason ORDER BY reason
