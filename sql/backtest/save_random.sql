-- The random-order baseline: $draws seeded random orders of the configured model's list at each
-- date, drawn independently per date (DuckDB's hash of seed, draw, date and id: same seed, same orders).
INSERT INTO bt_rankings
SELECT 'random#' || d.draw, b.as_of, b.perpetrator_id,
       row_number() OVER (
           PARTITION BY d.draw, b.as_of
           ORDER BY hash($seed, d.draw, b.as_of, b.perpetrator_id), b.perpetrator_id
       ),
       NULL
FROM bt_baseline_inputs b
CROSS JOIN (SELECT unnest(range(1, $draws + 1)) AS draw) d
