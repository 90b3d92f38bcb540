-- Drop the kept table cache_involvements (new fingerprint or --rebuild); made again with its columns.
DROP TABLE IF EXISTS cache_involvements
