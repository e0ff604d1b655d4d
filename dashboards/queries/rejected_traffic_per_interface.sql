-- Rejected traffic per interface over time.
--
-- One row per interface and window with REJECTed flows: the flow-log records (flows) and packets
-- rejected, the most distinct sources seen in one row of the window, and the rules that rejected
-- them (see rejected_flows_by_rule.sql for the rules alone). Windows are those of the job
-- (flow-logs.window, 5 minutes by default); for a longer range, replace window_start by
-- time_bucket(INTERVAL 1 HOUR, window_start) in SELECT and GROUP BY.
SELECT
    window_start,
    interface_id,
    sum(flows) AS rejected_flows,
    sum(packets) AS rejected_packets,
    max(distinct_src_addrs) AS max_distinct_sources,
    string_agg(DISTINCT attributed_to, ', ' ORDER BY attributed_to) AS rules
FROM rejects
GROUP BY window_start, interface_id
ORDER BY window_start, rejected_flows DESC, interface_id;
