-- The measures per cycle date and model (definitions: the domain brief, "Back-testing"). The
-- random orders ('random#1', ...) are averaged into one model 'random'. Harm sums are exact
-- decimals, so the shares do not depend on the order DuckDB adds them in.
WITH measured AS (SELECT unnest($dates::DATE[]) AS as_of),
totals AS (
    SELECT m.as_of, coalesce(sum(f.future_harm), 0) AS total_future_harm
    FROM measured m LEFT JOIN bt_future f USING (as_of)
    GROUP BY m.as_of
),
best AS (
    SELECT as_of, sum(future_harm) AS best_top_k
    FROM (SELECT as_of, future_harm,
                 row_number() OVER (PARTITION BY as_of ORDER BY future_harm DESC) AS r
          FROM bt_future)
    WHERE r <= $top_k
    GROUP BY as_of
),
per_model AS (
    SELECT model, as_of, any_value(listed) AS listed,
           least($top_k, any_value(listed)) AS k,
           coalesce(sum(harm) FILTER (WHERE rank <= $top_k), 0) AS harm_top_k,
           coalesce(sum(harm) FILTER (WHERE rank <= ceil(listed / 100)), 0) AS harm_top_1pct,
           coalesce(sum(harm) FILTER (WHERE rank <= ceil(listed * 5 / 100)), 0) AS harm_top_5pct,
           sum(harm) AS harm_list,
           count(*) FILTER (WHERE rank <= $top_k AND repeat) AS repeat_top_k,
           count(*) FILTER (WHERE rank <= $top_k AND serious) AS serious_top_k,
           count(*) FILTER (WHERE rank <= $top_k AND adopted) AS adopted_top_k,
           count(*) FILTER (WHERE repeat) AS positives,
           -- pairs (positive above negative) = sum over positives of (listed - rank) - P(P-1)/2
           coalesce(sum(listed - rank) FILTER (WHERE repeat), 0) AS below_positives
    FROM bt_scored
    GROUP BY model, as_of
),
churn AS (
    SELECT cur.model, cur.as_of,
           count(*) FILTER (WHERE prev.perpetrator_id IS NULL) / count(*) AS churn_top_k
    FROM bt_scored cur
    LEFT JOIN bt_rankings prev
        ON prev.model = cur.model AND prev.perpetrator_id = cur.perpetrator_id
       AND prev.as_of = cur.as_of - $cycle_days::INTEGER AND prev.rank <= $top_k
    WHERE cur.rank <= $top_k
    GROUP BY cur.model, cur.as_of
),
rows AS (
    SELECT CASE WHEN p.model LIKE 'random#%' THEN 'random' ELSE p.model END AS model,
           p.as_of, p.listed, t.total_future_harm,
           p.harm_top_k / nullif(t.total_future_harm, 0) AS harm_captured_top_k,
           p.harm_list / nullif(t.total_future_harm, 0) AS harm_captured_list,
           p.repeat_top_k / nullif(p.k, 0) AS precision_at_k_repeat,
           p.serious_top_k / nullif(p.k, 0) AS precision_at_k_serious,
           (p.below_positives - p.positives * (p.positives - 1) / 2)
               / nullif(p.positives * (p.listed - p.positives), 0) AS auc_list,
           c.churn_top_k,
           p.harm_top_1pct / nullif(t.total_future_harm, 0) AS harm_captured_top_1pct,
           p.harm_top_5pct / nullif(t.total_future_harm, 0) AS harm_captured_top_5pct,
           p.adopted_top_k
    FROM per_model p
    JOIN totals t USING (as_of)
    LEFT JOIN churn c USING (model, as_of)
),
averaged AS (
    SELECT model, as_of, avg(listed) AS listed,
           avg(harm_captured_top_k) AS harm_captured_top_k,
           avg(harm_captured_list) AS harm_captured_list,
           avg(precision_at_k_repeat) AS precision_at_k_repeat,
           avg(precision_at_k_serious) AS precision_at_k_serious,
           avg(auc_list) AS auc_list, avg(churn_top_k) AS churn_top_k,
           avg(harm_captured_top_1pct) AS harm_captured_top_1pct,
           avg(harm_captured_top_5pct) AS harm_captured_top_5pct,
           avg(adopted_top_k) AS adopted_top_k
    FROM rows
    GROUP BY model, as_of
)
SELECT m.as_of, s.model,
       coalesce(a.listed, 0)::BIGINT AS listed,
       $top_k::BIGINT AS top_k,
       t.total_future_harm::DOUBLE AS total_future_harm,
       round(CASE WHEN t.total_future_harm > 0 THEN coalesce(a.harm_captured_top_k, 0) END, 6)
           AS harm_captured_top_k,
       round(coalesce(b.best_top_k, 0) / nullif(t.total_future_harm, 0), 6) AS best_possible_top_k,
       round(CASE WHEN t.total_future_harm > 0 THEN coalesce(a.harm_captured_list, 0) END, 6)
           AS harm_captured_list,
       round(CASE WHEN t.total_future_harm > 0 THEN 1 - coalesce(a.harm_captured_list, 0) END, 6)
           AS unseen_harm_share,
       round(a.precision_at_k_repeat, 6) AS precision_at_k_repeat,
       round(a.precision_at_k_serious, 6) AS precision_at_k_serious,
       round(a.auc_list, 6) AS auc_list,
       round(a.churn_top_k, 6) AS churn_top_k,
       round(CASE WHEN t.total_future_harm > 0 THEN coalesce(a.harm_captured_top_1pct, 0) END, 6)
           AS harm_captured_top_1pct,
       round(CASE WHEN t.total_future_harm > 0 THEN coalesce(a.harm_captured_top_5pct, 0) END, 6)
           AS harm_captured_top_5pct,
       round(coalesce(a.adopted_top_k, 0), 6) AS adopted_top_k
FROM measured m
CROSS JOIN (SELECT unnest($models) AS model, generate_subscripts($models, 1) AS position) s
JOIN totals t USING (as_of)
LEFT JOIN best b USING (as_of)
LEFT JOIN averaged a USING (model, as_of)
ORDER BY m.as_of, s.position
