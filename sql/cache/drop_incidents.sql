-- Drop the kept table cache_incidents (new fingerprint or --rebuild); made again with its columns.
DROP TABLE IF EXISTS cache_incidents
