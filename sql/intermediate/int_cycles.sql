-- The as-of dates evaluated in one run: the list itself ('current') and the list one cycle
-- earlier from the same data ('previous'), which gives the movement labels.
CREATE OR REPLACE TABLE int_cycles AS
SELECT * FROM (VALUES
    ('current', $as_of::DATE, ($as_of::DATE - to_years($window_years))::DATE),
    ('previous', $previous_as_of::DATE, ($previous_as_of::DATE - to_years($window_years))::DATE)
) AS c(cycle, as_of, window_start)
