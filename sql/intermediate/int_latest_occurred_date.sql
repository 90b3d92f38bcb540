-- Default as-of date: the latest occurred_date among current usable incidents.
SELECT max(occurred_date) FROM stg_incidents WHERE is_current
