SELECT out_dir, document::VARCHAR AS document FROM ops_quality_reports WHERE run_id = $run_id
