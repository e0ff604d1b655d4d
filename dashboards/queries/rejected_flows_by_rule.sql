-- Rejected flows per window, by the rule that rejected them (the report's stacked chart).
--
-- attributed_to names the rule of the configuration in force at the flow's time:
-- nacl:<network-acl-id>#<rule number>, sg:no-matching-rule (no inbound rule of the interface's
-- security groups allows the flow), or unattributed (no rule explains it, e.g. a NAT gateway
-- dropping unsolicited inbound traffic, or no --config given). A rule that appears in a spike is
-- the first thing to look at: a NACL entry added by mistake shows up here by its number.
SELECT
    window_start,
    attributed_to,
    sum(flows) AS rejected_flows,
    sum(packets) AS rejected_packets,
    count(DISTINCT interface_id) AS interfaces
FROM rejects
GROUP BY window_start, attributed_to
ORDER BY window_start, rejected_flows DESC, attributed_to;
