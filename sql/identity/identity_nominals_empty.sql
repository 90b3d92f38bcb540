-- PNC-only identity: no comparison features are computed.
CREATE OR REPLACE TABLE identity_nominals (person_id VARCHAR, associates VARCHAR[])
