-- Adoption episodes that began on or before the as-of date (usable decisions). A discharge
-- after the as-of date has not happened yet at that date. cycle_date: the list the panel
-- adopted from, the latest cycle date (schedule) on or before the adoption.
CREATE OR REPLACE TABLE panel_episodes AS
SELECT d.source_row AS episode, d.perpetrator_id, d.area, d.adopted_on,
       CASE WHEN d.discharged_on <= pp.as_of THEN d.discharged_on END AS discharged_on,
       d.tactic,
       (pp.cycle_start + (floor((d.adopted_on - pp.cycle_start) / pp.cycle_days)
                          * pp.cycle_days)::INTEGER)::DATE AS cycle_date
FROM stg_panel_decisions d
CROSS JOIN panel_params pp
WHERE d.adopted_on <= pp.as_of
