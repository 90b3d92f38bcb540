SELECT step, run_id, finished_at, seconds, timings, counts FROM ops_step_log ORDER BY finished_at, step
