-- Every ranking a back-test measures: one row per model, cycle date and listed person.
-- score: the model's score (RFG points, or the baseline's own number; NULL for random orders).
CREATE OR REPLACE TABLE bt_rankings (
    model VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    perpetrator_id VARCHAR NOT NULL,
    rank BIGINT NOT NULL,
    score DOUBLE
)
