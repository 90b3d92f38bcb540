-- Stream one CSV file as text columns named by the normalised header ($columns, in file order).
SELECT *
FROM read_csv(
    $path,
    columns = $columns,
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    null_padding = true,
    strict_mode = false,
    store_rejects = true,
    rejects_scan = 'raw_reject_scans',
    rejects_table = 'raw_reject_errors'
)
