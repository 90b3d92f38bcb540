-- Every ranking at the measured dates with what each listed person did next (bt_future): harm in
-- (D, D + horizon], any future qualifying incident (repeat), one of weight >= $serious_weight;
-- `adopted`: a panel had the person adopted at some time in [D, D + horizon] (stg_panel_decisions,
-- empty without panel.decisions), so an intervention may have changed what they did.
CREATE OR REPLACE TEMP TABLE bt_scored AS
WITH measured AS (SELECT unnest($dates::DATE[]) AS as_of),
lists AS (
    SELECT model, as_of, count(*) AS listed
    FROM bt_rankings SEMI JOIN measured USING (as_of)
    GROUP BY model, as_of
)
SELECT r.model, r.as_of, r.perpetrator_id, r.rank, r.score, l.listed,
       coalesce(f.future_harm, 0) AS harm,
       f.perpetrator_id IS NOT NULL AS repeat,
       coalesce(f.max_weight >= $serious_weight, false) AS serious,
       EXISTS (SELECT 1 FROM stg_panel_decisions d
               WHERE d.perpetrator_id = r.perpetrator_id
                 AND d.adopted_on <= (r.as_of + to_months($horizon_months))::DATE
                 AND (d.discharged_on IS NULL OR d.discharged_on >= r.as_of)) AS adopted
FROM bt_rankings r
JOIN lists l USING (model, as_of)
LEFT JOIN bt_future f USING (as_of, perpetrator_id)
