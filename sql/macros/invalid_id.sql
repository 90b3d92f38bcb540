-- An id that cannot be used (reason invalid_id): it holds a control or invisible formatting
-- character (tab, CR, LF, NUL, zero-width and bidi marks: Unicode categories Cc and Cf) or starts
-- like a spreadsheet formula ('=', '+', '-', '@'; OWASP's CSV injection list). Such an id would
-- travel into the published lists, which panels open in Excel. `x` is a non-blank id as
-- extract_id gives it (trimmed of spaces). (One match of what is allowed: ~3x cheaper than
-- looking for what is not.)
CREATE OR REPLACE MACRO invalid_id(x) AS (
    NOT regexp_full_match(x, '[^=+\-@\p{Cc}\p{Cf}][^\p{Cc}\p{Cf}]*')
)
