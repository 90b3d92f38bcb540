SELECT count(*) AS offence_codes FROM ref_gravity
