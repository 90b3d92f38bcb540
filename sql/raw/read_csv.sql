-- Stream one CSV file as text columns named by the normalised header ($columns, in file order).
-- Strict RFC 4180 reading: a row with too many or too few fields, or text after a closing quote,
-- is rejected into the rejects tables (-> quarantine as malformed_row) instead of being loaded
-- with its values shifted or padded. Quoted fields may hold new lines.
SELECT *
FROM read_csv(
    $path,
    columns = $columns,
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    null_padding = false,
    strict_mode = true,
    store_rejects = true,
    rejects_scan = 'raw_reject_scans',
    rejects_table = 'raw_reject_errors'
)
