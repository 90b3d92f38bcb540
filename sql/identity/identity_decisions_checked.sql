-- The analyst's identity decisions (identity.decisions), checked like an extract: each row with
-- its data row number (header not counted) and the reason it cannot be used (NULL = usable).
-- Of several usable rows for one pair, the latest decided_on wins (then the later row); rows it
-- supersedes are kept and marked. Two different decisions on the latest date are a conflict.
CREATE OR REPLACE TABLE identity_decisions_checked AS
WITH raw AS (
    SELECT row_number() OVER () AS source_row, *
    FROM read_csv($decisions_path, header = true, all_varchar = true, normalize_names = true,
                  delim = ',', quote = '"', escape = '"')
),
parsed AS (
    SELECT source_row,
        extract_id(person_id_a) AS id_a, extract_id(person_id_b) AS id_b,
        extract_enum(decision) AS decision,
        extract_date(decided_on) AS decided_on,
        extract_id(decided_on) IS NOT NULL AS date_given,
        extract_id(decided_by) AS decided_by, extract_id(note) AS note
    FROM raw
),
reasoned AS (
    SELECT source_row, least(id_a, id_b) AS person_id_a, greatest(id_a, id_b) AS person_id_b,
        decision, decided_on, decided_by, note,
        CASE WHEN id_a IS NULL OR id_b IS NULL THEN 'missing_person_id'
             WHEN id_a = id_b THEN 'same_person_id'
             WHEN decision IS NULL THEN 'missing_decision'
             WHEN decision NOT IN ('same', 'different') THEN 'unknown_decision'
             WHEN date_given AND decided_on IS NULL THEN 'unparseable_decided_on'
             WHEN id_a NOT IN (SELECT person_id FROM stg_persons WHERE is_current)
               OR id_b NOT IN (SELECT person_id FROM stg_persons WHERE is_current)
                 THEN 'unknown_person_id'
        END AS reason
    FROM parsed
),
ranked AS (
    SELECT *,
        row_number() OVER pair AS latest,
        count(DISTINCT decision) OVER (PARTITION BY person_id_a, person_id_b, decided_on) AS kinds,
        max(decided_on) OVER (PARTITION BY person_id_a, person_id_b) AS last_date
    FROM reasoned
    WHERE reason IS NULL
    WINDOW pair AS (PARTITION BY person_id_a, person_id_b
                    ORDER BY decided_on DESC NULLS LAST, source_row DESC)
)
SELECT r.source_row, r.person_id_a, r.person_id_b, r.decision, r.decided_on, r.decided_by,
       r.note,
       coalesce(r.reason, CASE WHEN k.kinds > 1 AND k.decided_on IS NOT DISTINCT FROM k.last_date
                               THEN 'conflicting_decisions' END) AS reason,
       coalesce(k.latest > 1 AND NOT (k.kinds > 1 AND k.decided_on IS NOT DISTINCT FROM k.last_date),
                false) AS superseded
FROM reasoned r
LEFT JOIN ranked k USING (source_row)
ORDER BY r.source_row
