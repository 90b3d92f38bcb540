-- Every decision row, parsed, with the first reason it cannot be used (NULL = usable). Any
-- nominal id of a person is accepted and resolved to the person (int_person_identity). The area
-- must be one the incidents name (blank = 'unknown'), exactly as spelled there. A person's
-- adoptions must not overlap: a row starting while an earlier one (earlier adoption, or the same
-- adoption on an earlier row) is still open is quarantined as 'overlapping_adoption'.
CREATE OR REPLACE TABLE panel_decisions_checked AS
WITH parsed AS (
    SELECT source_row, malformed,
           extract_id(perpetrator_id) AS nominal_id,
           coalesce(extract_id(area), 'unknown') AS area,
           extract_id(adopted_on) IS NULL AS adopted_blank,
           extract_date(adopted_on) AS adopted_on,
           extract_id(discharged_on) IS NULL AS discharged_blank,
           extract_date(discharged_on) AS discharged_on,
           extract_id(tactic) AS tactic, extract_id(note) AS note
    FROM raw_panel_decisions
),
areas AS (SELECT DISTINCT area FROM stg_incidents WHERE is_current),
resolved AS (
    SELECT p.*, i.resolved_person_id AS perpetrator_id,
        CASE
            WHEN p.malformed THEN 'malformed_row'
            WHEN p.nominal_id IS NULL THEN 'missing_perpetrator_id'
            WHEN p.adopted_blank THEN 'missing_adopted_on'
            WHEN p.adopted_on IS NULL THEN 'unparseable_adopted_on'
            WHEN NOT p.discharged_blank AND p.discharged_on IS NULL THEN 'unparseable_discharged_on'
            WHEN i.resolved_person_id IS NULL THEN 'unknown_person'
            WHEN a.area IS NULL THEN 'unknown_area'
            WHEN p.discharged_on < p.adopted_on THEN 'discharge_before_adoption'
        END AS row_reason
    FROM parsed p
    LEFT JOIN int_person_identity i ON i.person_id = p.nominal_id
    LEFT JOIN areas a ON a.area = p.area
)
SELECT r.* EXCLUDE (row_reason, adopted_blank, discharged_blank),
    coalesce(r.row_reason, CASE WHEN EXISTS (
        SELECT 1 FROM resolved o
        WHERE o.row_reason IS NULL AND o.perpetrator_id = r.perpetrator_id
          AND (o.adopted_on < r.adopted_on
               OR (o.adopted_on = r.adopted_on AND o.source_row < r.source_row))
          AND (o.discharged_on IS NULL OR o.discharged_on > r.adopted_on)
    ) THEN 'overlapping_adoption' END) AS reason
FROM resolved r
ORDER BY r.source_row
