-- Rows read per table (sum over files and extracts).
SELECT table_name, sum(rows_read)::BIGINT AS rows_read, count(*) AS files
FROM raw_files GROUP BY table_name ORDER BY table_name
