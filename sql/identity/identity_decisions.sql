-- The analyst decisions applied in this run (usable, not superseded).
CREATE OR REPLACE VIEW identity_decisions AS
SELECT person_id_a, person_id_b, decision, decided_on, decided_by, source_row
FROM identity_decisions_checked
WHERE reason IS NULL AND NOT superseded
