-- Each person's panel status at the as-of date, from the coordinator's decisions
-- (stg_panel_decisions, usable rows only): the latest adoption on or before the as-of date;
-- 'discharged YYYY-MM-DD' when its discharge is on or before the as-of date, else
-- 'adopted YYYY-MM-DD'. Decisions dated after the as-of date do not count yet.
CREATE OR REPLACE TABLE mart_panel_status AS
SELECT d.perpetrator_id, d.adopted_on, d.discharged_on,
       CASE WHEN d.discharged_on <= c.as_of
            THEN 'discharged ' || strftime(d.discharged_on, '%Y-%m-%d')
            ELSE 'adopted ' || strftime(d.adopted_on, '%Y-%m-%d') END AS panel_status
FROM stg_panel_decisions d
JOIN int_cycles c ON c.cycle = 'current' AND d.adopted_on <= c.as_of
QUALIFY row_number() OVER (PARTITION BY d.perpetrator_id ORDER BY d.adopted_on DESC) = 1
