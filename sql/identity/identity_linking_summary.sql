-- How the last run linked (run manifest): full or incremental, nominals new or changed, kept
-- pairs reused, pairs Splink scored.
SELECT mode, nominals_changed, pairs_reused, pairs_scored FROM identity_linking
