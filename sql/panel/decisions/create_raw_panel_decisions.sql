-- The coordinator's decisions file as read: one row per data row (1 = first after the header),
-- every value as text; `malformed` = the row had more or fewer fields than the header.
CREATE OR REPLACE TABLE raw_panel_decisions (
    source_row BIGINT, malformed BOOLEAN, perpetrator_id VARCHAR, area VARCHAR,
    adopted_on VARCHAR, discharged_on VARCHAR, tactic VARCHAR, note VARCHAR
)
