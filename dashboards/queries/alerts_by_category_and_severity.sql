-- Alerts by category and severity over time: one row per hour (UTC), category and severity.
--
-- For a closer look, use time_bucket(INTERVAL 5 MINUTES, window_start); for the whole output,
-- drop the hour. Categories: rejected_traffic_spike, port_scan, unexpected_egress,
-- anomalous_key_usage, correlated_incident, config_posture.
SELECT
    time_bucket(INTERVAL 1 HOUR, window_start) AS hour_utc,
    category,
    severity,
    count(*) AS alerts,
    string_agg(DISTINCT detector, ', ' ORDER BY detector) AS detectors
FROM alerts
GROUP BY hour_utc, category, severity
ORDER BY hour_utc, category, severity_rank(severity);
