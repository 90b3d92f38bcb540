-- The truth of a synthetic extract (`_truth/ground_truth.parquet`: the human behind each
-- nominal, whether it is a duplicate record, and - in a harsh copy - how its name was varied).
CREATE OR REPLACE TABLE eval_truth AS
SELECT * FROM read_parquet($truth_path)
