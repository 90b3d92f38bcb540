-- The data-quality document of each run (what data_quality.json holds: counts and ids only),
-- so that the publication gate can add the list checks and rewrite the report.
CREATE TABLE IF NOT EXISTS ops_quality_reports (
    run_id VARCHAR PRIMARY KEY,
    out_dir VARCHAR NOT NULL,
    document JSON NOT NULL
)
