-- The rows set aside because a quote opened in them is never closed (found and cut off from
-- the rows after them by read.py), named as such in the quarantine.
UPDATE raw_malformed_rows SET error_type = 'UNTERMINATED QUOTE'
WHERE file_id = $file_id AND list_contains($rows, source_row)
