-- A truth file without `variation` (not a harsh copy): every name kept as it was.
ALTER TABLE eval_truth ADD COLUMN IF NOT EXISTS variation VARCHAR DEFAULT ''
