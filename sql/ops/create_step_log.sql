-- Timings and row counts of the latest run of each step (read back into the run manifest).
CREATE TABLE IF NOT EXISTS ops_step_log (
    step VARCHAR PRIMARY KEY,
    run_id VARCHAR,
    finished_at TIMESTAMP,
    seconds DOUBLE,
    timings JSON,
    counts JSON
)
