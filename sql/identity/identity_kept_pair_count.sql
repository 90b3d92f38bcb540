SELECT count(*) AS pairs FROM identity_kept_pairs
