SELECT (SELECT count(*) FROM identity_nominals) AS nominals,
       (SELECT count(*) FROM identity_nominals WHERE associates IS NOT NULL) AS nominals_with_associates,
       count(*) AS candidate_pairs,
       count(*) FILTER (WHERE match_probability >= $link_threshold) AS pairs_above_link_threshold,
       count(*) FILTER (WHERE match_probability < $link_threshold) AS pairs_in_review_band
FROM identity_candidate_pairs
