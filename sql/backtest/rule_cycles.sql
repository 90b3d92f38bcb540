-- The rule's cycles for a back-test: one per date in $dates, labelled by the date, with the
-- look-back window exactly as sql/intermediate/int_cycles.sql computes it for `matac run`. The
-- intermediate models that follow it then rank every date in one pass.
CREATE OR REPLACE TABLE int_cycles AS
SELECT strftime(d, '%Y-%m-%d') AS cycle,
       d AS as_of,
       (d - to_years($window_years))::DATE AS window_start
FROM (SELECT unnest($dates::DATE[]) AS d)
