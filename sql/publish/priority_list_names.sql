-- Names for the list, only when output.include_names is on: from the resolved person's own record.
SELECT l.perpetrator_id, p.surname, p.forenames
FROM mart_priority_list l
JOIN stg_persons p ON p.person_id = l.perpetrator_id AND p.is_current
