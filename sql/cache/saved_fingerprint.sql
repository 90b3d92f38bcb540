-- The fingerprint the kept tables were made under (none before the first run).
SELECT fingerprint FROM cache_fingerprint
