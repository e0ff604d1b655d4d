-- Top rejected sources, with the rule that rejected them.
--
-- The rejects table has no source address: it aggregates per interface, port and rule. The
-- sources come from the alerts that name them:
--   * rejected_traffic_spike alerts list their top sources (evidence.top_sources, with counts)
--     and the rules behind the spike (evidence.attribution);
--   * port_scan alerts name the scanner (src_addr) and count its rejected probes; the rules are
--     those of the rejects on the scanned interface (vertical scan) or on the scanned port
--     (horizontal scan) in the alert's window.
-- So a source appears here only if it was part of an alert; for the rest use the flow logs.
WITH spike_sources AS (
    SELECT
        a.alert_id, a.detector, a.window_start, a.interface_id AS target,
        s.value AS src_addr, s.count AS rejected_flows,
        (SELECT string_agg(r.value || ' (' || r.count || ')', ', ')
         FROM unnest(from_json(a.evidence -> '$.attribution',
                               '[{"value":"VARCHAR","count":"BIGINT"}]')) AS t(r)) AS rules
    FROM alerts a,
        unnest(from_json(a.evidence -> '$.top_sources',
                         '[{"value":"VARCHAR","count":"BIGINT"}]')) AS u(s)
    WHERE a.category = 'rejected_traffic_spike'
),
scan_sources AS (
    SELECT
        a.alert_id, a.detector, a.window_start,
        coalesce(a.interface_id, 'port ' || a.dst_port) AS target,
        a.src_addr,
        CAST(a.evidence ->> '$.probes_rejected' AS BIGINT) AS rejected_flows,
        (SELECT string_agg(attributed_to || ' (' || f || ')', ', ' ORDER BY f DESC, attributed_to)
         FROM (SELECT r.attributed_to, sum(r.flows) AS f
               FROM rejects r
               WHERE r.window_start = a.window_start
                 AND (r.interface_id = a.interface_id
                      OR (a.interface_id IS NULL AND r.dst_port = a.dst_port))
               GROUP BY r.attributed_to)) AS rules
    FROM alerts a
    WHERE a.category = 'port_scan'
)
SELECT src_addr, rejected_flows, rules, target, detector, window_start, alert_id
FROM (SELECT * FROM spike_sources UNION ALL SELECT * FROM scan_sources)
ORDER BY rejected_flows DESC, src_addr, window_start;
