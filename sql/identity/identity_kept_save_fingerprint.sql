CREATE OR REPLACE TABLE identity_kept_fingerprint AS SELECT $fingerprint AS fingerprint
