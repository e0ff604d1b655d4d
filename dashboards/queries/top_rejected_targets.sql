-- Top rejected interface / protocol / port / rule combinations.
--
-- What was rejected, where, and by which rule. rejects keeps no source address (it is an
-- aggregate): max_distinct_sources is the largest number of distinct sources in one window, and
-- top_rejected_sources.sql names the sources that alerts recorded.
SELECT
    interface_id,
    protocol,
    dst_port,
    attributed_to AS rule,
    sum(flows) AS rejected_flows,
    sum(packets) AS rejected_packets,
    max(distinct_src_addrs) AS max_distinct_sources,
    count(DISTINCT window_start) AS windows,
    min(window_start) AS first_window,
    max(window_end) AS last_window_end
FROM rejects
GROUP BY interface_id, protocol, dst_port, attributed_to
ORDER BY rejected_flows DESC, interface_id, protocol, dst_port
LIMIT 20;
