INSERT OR REPLACE INTO ops_quality_reports VALUES ($run_id, $out_dir, $document::JSON)
