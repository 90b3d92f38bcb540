-- After an append: the incidents whose current version changed (the macro stg_settled).
UPDATE stg_incidents_checked t SET is_current = s.is_current
FROM stg_settled('stg_incidents_checked', 'incident_id') s
WHERE t.file_id = s.file_id AND t.source_row = s.source_row
