-- No decisions file (identity.decisions blank): no analyst decisions.
CREATE OR REPLACE TABLE identity_decisions_checked (
    source_row BIGINT, person_id_a VARCHAR, person_id_b VARCHAR, decision VARCHAR,
    decided_on DATE, decided_by VARCHAR, note VARCHAR, reason VARCHAR, superseded BOOLEAN
)
