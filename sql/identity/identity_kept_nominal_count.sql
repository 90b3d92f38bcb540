SELECT count(*) AS nominals FROM identity_kept_nominals
