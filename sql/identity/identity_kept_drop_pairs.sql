DROP TABLE IF EXISTS identity_kept_pairs
