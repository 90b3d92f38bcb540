DROP TABLE IF EXISTS identity_nominals_flagged
