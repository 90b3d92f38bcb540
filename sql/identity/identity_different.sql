-- Analyst `different` decisions: pairs never to be one person.
SELECT person_id_a, person_id_b FROM identity_decisions WHERE decision = 'different'
