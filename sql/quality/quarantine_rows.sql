-- Every row set aside (quarantined), one line each, for the data owners' quarantine.csv and
-- quarantine.xlsx: table, source file (extract/file), row number (data rows counted from 1,
-- header not counted), record id (incident_id, person_id, or incident_id/person_id of an
-- involvement, as read without surrounding spaces), reason, the column the reason is about and
-- its value as read. The value of a column in $personal (names, date of birth, PNC id) is left
-- blank, and so is every value of a row the CSV reader could not split (malformed_row).
-- Ordered by table ($tables: the contract's order), source file, row number, reason, column:
-- the same extracts give the same lines in the same order.
WITH rows AS (
    SELECT 'incidents' AS table_name, extract_name, source_file, source_row, reason,
           extract_id(incident_id) AS record_id,
           CASE WHEN reason IN ('missing_incident_id', 'invalid_id', 'duplicate_incident_id') THEN 'incident_id'
                WHEN reason IN ('missing_occurred_date', 'unparseable_occurred_date') THEN 'occurred_date'
                WHEN reason IN ('missing_record_type', 'unknown_record_type') THEN 'record_type'
           END AS column_name,
           map(['incident_id', 'occurred_date', 'record_type'],
               [incident_id, occurred_date, record_type]) AS raw_values
    FROM quarantine_incidents
    UNION ALL
    SELECT 'persons', extract_name, source_file, source_row, reason,
           extract_id(person_id),
           CASE WHEN reason IN ('missing_person_id', 'invalid_id', 'duplicate_person_id') THEN 'person_id' END,
           map(['person_id'], [person_id])
    FROM quarantine_persons
    UNION ALL
    SELECT 'involvements', extract_name, source_file, source_row, reason,
           coalesce(extract_id(incident_id), '') || '/' || coalesce(extract_id(person_id), ''),
           CASE WHEN reason IN ('missing_incident_id', 'orphan_incident') THEN 'incident_id'
                WHEN reason IN ('missing_person_id', 'orphan_person') THEN 'person_id'
                -- the incident id is looked at first: an invalid one is never a usable incident's
                WHEN reason = 'invalid_id'
                    THEN CASE WHEN invalid_id(extract_id(incident_id)) THEN 'incident_id' ELSE 'person_id' END
                WHEN reason IN ('missing_role', 'unknown_role') THEN 'role'
                -- the same incident, person and role twice with different relationships
                WHEN reason = 'duplicate_involvement' THEN 'relationship'
           END,
           map(['incident_id', 'person_id', 'role', 'relationship'],
               [incident_id, person_id, role, relationship])
    FROM quarantine_involvements
    UNION ALL
    SELECT table_name, extract_name, source_file, source_row, reason, NULL, NULL,
           map([]::VARCHAR[], []::VARCHAR[])
    FROM quarantine_malformed_rows
)
SELECT
    table_name AS "table",
    extract_name || '/' || regexp_extract(source_file, '[^/\\]+$') AS source_file,
    source_row AS row_number,
    record_id,
    reason,
    column_name AS "column",
    CASE WHEN NOT list_contains($personal, column_name) THEN raw_values[column_name] END AS "value"
FROM rows
ORDER BY list_position($tables, table_name), 2, row_number, reason, column_name NULLS FIRST
