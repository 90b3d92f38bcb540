-- Decision rows that cannot be used: row number, reason and the values as read.
CREATE OR REPLACE VIEW quarantine_panel_decisions AS
SELECT c.source_row, c.reason, r.perpetrator_id, r.area, r.adopted_on, r.discharged_on, r.tactic
FROM panel_decisions_checked c
JOIN raw_panel_decisions r USING (source_row)
WHERE c.reason IS NOT NULL
ORDER BY c.source_row
