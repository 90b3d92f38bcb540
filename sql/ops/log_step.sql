INSERT OR REPLACE INTO ops_step_log
VALUES ($step, $run_id, now()::TIMESTAMP, $seconds, $timings::JSON, $counts::JSON)
