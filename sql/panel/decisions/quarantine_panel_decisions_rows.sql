SELECT source_row, reason, perpetrator_id, area, adopted_on, discharged_on, tactic
FROM quarantine_panel_decisions ORDER BY source_row
