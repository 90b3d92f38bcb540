SELECT component, position, threshold, points FROM ref_score_bands ORDER BY component, position
