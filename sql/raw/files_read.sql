-- Files read in this run (the others of raw_files were kept from an earlier run).
SELECT count(*) FROM raw_files WHERE loaded
