-- One cycle covering every date: the rule's qualifying-link models run over it find each
-- person's qualifying incidents at any time (the conditions - DA, ages, another person as
-- victim - do not depend on the as-of date; only the window does).
CREATE OR REPLACE TABLE int_cycles AS
SELECT 'all' AS cycle, DATE '9999-12-31' AS as_of, DATE '0001-01-01' AS window_start
