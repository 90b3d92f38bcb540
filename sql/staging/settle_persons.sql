-- After an append: the persons whose current version changed (the macro stg_settled).
UPDATE stg_persons_checked t SET is_current = s.is_current
FROM stg_settled('stg_persons_checked', 'person_id') s
WHERE t.file_id = s.file_id AND t.source_row = s.source_row
