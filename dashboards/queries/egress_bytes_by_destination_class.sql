-- Egress bytes by destination class, as far as the tables allow.
--
-- What the tables record: flow_summary has each interface's accepted egress bytes per window
-- (direction 'egress', filled from the flow log's flow-direction or by the configuration join),
-- but not where the bytes went: the join classifies every flow's peer (same VPC, peered VPC, AWS
-- service, internet, other private) and does not write that class to any table yet. What the
-- alerts add: unexpected_egress / new_external_destination alerts list the new external
-- destinations they saw, with their bytes (evidence.new_destinations).
--
-- So this splits each interface's egress into bytes to destinations named by alerts, by the
-- class of their address (public / private), and the rest, whose class the tables do not say.
-- Beware when summing across interfaces: a flow between two monitored interfaces is egress on the
-- sender, and a NAT gateway's interface sends on what it carries for others (the sample's batch-b
-- upload appears on batch-b and on nat-b).
WITH egress AS (
    SELECT vpc_id, subnet_id, interface_id, sum(bytes) AS egress_bytes, sum(flows) AS flows
    FROM flow_summary
    WHERE direction = 'egress' AND action = 'ACCEPT'
    GROUP BY vpc_id, subnet_id, interface_id
),
named AS (
    SELECT DISTINCT a.interface_id, d.address, d.port, d.bytes, a.window_start
    FROM alerts a,
        unnest(from_json(a.evidence -> '$.new_destinations',
                         '[{"address":"VARCHAR","port":"INTEGER","bytes":"BIGINT"}]')) AS t(d)
    WHERE a.detector = 'new_external_destination'
),
named_by_class AS (
    SELECT
        interface_id,
        sum(bytes) FILTER (WHERE address_class(address) = 'public') AS to_named_public,
        sum(bytes) FILTER (WHERE address_class(address) <> 'public') AS to_named_private,
        string_agg(address || ':' || port, ', ' ORDER BY address, port) AS named_destinations
    FROM named
    GROUP BY interface_id
)
SELECT
    e.vpc_id,
    e.subnet_id,
    e.interface_id,
    e.egress_bytes,
    coalesce(n.to_named_public, 0) AS bytes_to_new_public_destinations,
    coalesce(n.to_named_private, 0) AS bytes_to_new_private_destinations,
    e.egress_bytes - coalesce(n.to_named_public, 0) - coalesce(n.to_named_private, 0)
        AS bytes_class_not_recorded,
    n.named_destinations
FROM egress e
LEFT JOIN named_by_class n USING (interface_id)
ORDER BY e.egress_bytes DESC, e.interface_id;
