-- Usable decisions: one adoption episode per row, the person resolved. (`note` is the
-- coordinator's free text: kept here, never published.)
CREATE OR REPLACE VIEW stg_panel_decisions AS
SELECT perpetrator_id, nominal_id, area, adopted_on, discharged_on, tactic, note, source_row
FROM panel_decisions_checked
WHERE reason IS NULL
