-- PNC-only identity: no linking, nothing to report.
CREATE OR REPLACE TABLE identity_linking (
    mode VARCHAR, nominals_changed BIGINT, pairs_reused BIGINT, pairs_scored BIGINT
)
