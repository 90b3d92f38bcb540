-- What the linkage compares, one row per current nominal (personal data: stays in DuckDB).
-- Names are folded (lower case, accents and punctuation removed); `forename` is the first
-- forename (hyphens dropped: Mary-Jane = maryjane), `forename_names` it and the names it is a nickname of; `surname_parts` the parts
-- of a hyphenated or double-barrelled surname; `dob_swapped` the date with day and month
-- swapped (when that is a date); `associates` the people the nominal is tied to as suspect or
-- victim in one incident (PNC-resolved ids), for the network comparison and blocking;
-- `name_records` how many records share the names (for blocking, model.NAME_RECORDS_CAP).
CREATE OR REPLACE TABLE identity_nominals AS
WITH current AS (
    SELECT person_id, surname, forenames, date_of_birth, gender, pnc_id,
           CASE WHEN pnc_id IS NULL THEN person_id
                ELSE min(person_id) OVER (PARTITION BY pnc_id) END AS pnc_person_id
    FROM stg_persons
    WHERE is_current
),
folded AS (
    SELECT *,
        nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(surname)), '''', '', 'g'),
                                   '[^a-z]+', ' ', 'g')), '') AS surname_words,
        nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(forenames)), '[''-]', '', 'g'),
                                   '[^a-z]+', ' ', 'g')), '') AS forename_words
    FROM current
),
ties AS (
    SELECT DISTINCT a.person_id, c.pnc_person_id AS associate
    FROM stg_involvements a
    JOIN stg_involvements b
      ON b.incident_id = a.incident_id AND b.is_current
     AND ((a.role IN ('suspect', 'offender') AND b.role = 'victim')
          OR (a.role = 'victim' AND b.role IN ('suspect', 'offender')))
    JOIN current c ON c.person_id = b.person_id
    WHERE a.is_current AND a.person_id <> b.person_id
),
associates AS (
    SELECT person_id, list(associate ORDER BY associate)[1:$max_associates] AS associates
    FROM ties
    GROUP BY person_id
),
nicknames AS (
    SELECT nickname AS forename, list(DISTINCT name ORDER BY name) AS names
    FROM ref_nicknames
    GROUP BY nickname
)
SELECT
    f.person_id,
    split_part(f.forename_words, ' ', 1) AS forename,
    list_prepend(split_part(f.forename_words, ' ', 1), coalesce(n.names, [])) AS forename_names,
    replace(f.surname_words, ' ', '') AS surname,
    string_split(f.surname_words, ' ') AS surname_parts,
    f.date_of_birth AS dob,
    strftime(f.date_of_birth, '%Y-%m-%d') AS dob_text,
    CASE WHEN day(f.date_of_birth) <= 12 AND day(f.date_of_birth) <> month(f.date_of_birth)
         THEN make_date(year(f.date_of_birth), day(f.date_of_birth), month(f.date_of_birth))
    END AS dob_swapped,
    nullif(f.gender, 'unknown') AS gender,
    f.pnc_id,
    f.pnc_person_id,
    CASE WHEN $max_associates > 0 THEN a.associates END AS associates,
    -- records with the same folded names, counted up to one above $name_records_cap (blocking)
    least(count(*) OVER (PARTITION BY split_part(f.forename_words, ' ', 1),
                                      replace(f.surname_words, ' ', '')),
          $name_records_cap + 1) AS name_records
FROM folded f
LEFT JOIN nicknames n ON n.forename = split_part(f.forename_words, ' ', 1)
LEFT JOIN associates a USING (person_id)
ORDER BY f.person_id
