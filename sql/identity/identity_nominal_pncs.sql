-- Each current nominal with its PNC id, for the clustering's constraint.
SELECT person_id, pnc_id FROM stg_persons WHERE is_current ORDER BY person_id
