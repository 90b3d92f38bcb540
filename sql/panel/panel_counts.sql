SELECT (SELECT count(DISTINCT area) FROM panel_members) AS areas,
       (SELECT count(*) FROM panel_members) AS pack_members,
       (SELECT count(*) FROM panel_episodes) AS episodes,
       (SELECT count(*) FROM panel_episodes WHERE discharged_on IS NULL) AS adopted,
       (SELECT count(*) FROM panel_episodes WHERE discharged_on IS NOT NULL) AS discharged,
       (SELECT count(*) FROM panel_subjects WHERE cohort = 'comparison') AS comparison_subjects
