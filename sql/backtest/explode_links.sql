-- int_qualifying_links for every cycle date at once: the candidates' links (save_links.sql) in
-- each date's window, both ends included, exactly the window condition of
-- sql/intermediate/int_qualifying_links.sql. The rule's own models take it from here.
CREATE OR REPLACE TABLE int_qualifying_links AS
SELECT c.cycle, l.perpetrator_id, l.victim_id, l.incident_id
FROM bt_links l
JOIN int_cycles c ON l.occurred_date BETWEEN c.window_start AND c.as_of
