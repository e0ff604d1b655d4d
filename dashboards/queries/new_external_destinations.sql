-- New external destinations: addresses an interface sent to for the first time, as the
-- unexpected-egress detector saw them (its memory of known destinations is its state: an
-- address counts as new for the interface that had not talked to it within that memory).
--
-- One row per interface and destination, at its first alert, with the bytes of that window and
-- every later alert for the same destination. The egress_volume_spike alerts of the same window
-- tell whether the interface's total volume was unusual too.
WITH named AS (
    SELECT a.alert_id, a.window_start, a.window_end, a.account_id, a.interface_id, a.severity,
           d.address, d.port, d.bytes
    FROM alerts a,
        unnest(from_json(a.evidence -> '$.new_destinations',
                         '[{"address":"VARCHAR","port":"INTEGER","bytes":"BIGINT"}]')) AS t(d)
    WHERE a.detector = 'new_external_destination'
)
SELECT
    min(window_start) AS first_seen_window,
    interface_id,
    address AS destination,
    port,
    address_class(address) AS class,
    sum(bytes) AS bytes,
    count(*) AS alerts,
    arg_min(severity, severity_rank(severity)) AS worst_severity,
    (SELECT string_agg(v.detector || ' ' || round(v.observed / 1e6, 1) || ' MB (usual '
                       || round(v.expected / 1e6, 1) || ' MB)', '; ')
     FROM alerts v
     WHERE v.detector = 'egress_volume_spike' AND v.interface_id = named.interface_id
       AND v.window_start = min(named.window_start)) AS volume_alert,
    arg_min(alert_id, window_start) AS first_alert_id
FROM named
GROUP BY interface_id, address, port
ORDER BY first_seen_window, interface_id, destination, port;
