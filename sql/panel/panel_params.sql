-- The settings the panel models read (one row), so that the shared macro panel_rfg_at needs no
-- parameters of its own.
CREATE OR REPLACE TABLE panel_params AS
SELECT $as_of::DATE AS as_of, $previous_as_of::DATE AS previous_as_of,
       $window_years::INTEGER AS window_years, $min_age::INTEGER AS min_age,
       $max_age::INTEGER AS max_age,
       $min_incidents::INTEGER AS min_incidents, $min_victims::INTEGER AS min_victims,
       $non_crime_weight::DOUBLE AS non_crime_weight,
       $unknown_crime_weight::DOUBLE AS unknown_crime_weight,
       $include_victims::BOOLEAN AS include_victims,
       $count_window_days::INTEGER AS count_window_days,
       $weight_recency::DOUBLE AS weight_recency, $weight_frequency::DOUBLE AS weight_frequency,
       $weight_gravity::DOUBLE AS weight_gravity, $weight_victims::DOUBLE AS weight_victims,
       $size::INTEGER AS size, $cycle_days::INTEGER AS cycle_days,
       $cycle_start::DATE AS cycle_start, $trajectory_cycles::INTEGER AS trajectory_cycles
