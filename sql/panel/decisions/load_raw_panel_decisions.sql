-- Append the rows read from the decisions file (registered as `decision_rows`).
INSERT INTO raw_panel_decisions BY NAME SELECT * FROM decision_rows
