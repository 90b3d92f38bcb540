-- After an append: for every incident_id with a usable row whose is_current is unknown (new, or an
-- orphan that became usable), mark current the usable rows from the newest extract holding
-- it and the others superseded, as sql/macros/stg_current.sql does for a whole build.
UPDATE stg_incidents_checked t SET is_current = (t.extract_seq = k.latest_seq)
FROM (
    SELECT incident_id, max(extract_seq) AS latest_seq
    FROM stg_incidents_checked
    WHERE reason IS NULL
      AND incident_id IN (SELECT incident_id FROM stg_incidents_checked WHERE reason IS NULL AND is_current IS NULL)
    GROUP BY incident_id
) k
WHERE t.incident_id = k.incident_id AND t.reason IS NULL
  AND t.is_current IS DISTINCT FROM (t.extract_seq = k.latest_seq)
