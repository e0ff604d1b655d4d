#!/usr/bin/env python3
"""Generate Flowtrail's sample input: one hour of one AWS account's VPC Flow Logs.

Writes, next to this script:
  flow-logs/default/...   12 S3 objects of flow log fl-0a1b2c3d4e5f60001 (default version-2 format)
  flow-logs/v5/...        12 S3 objects of flow log fl-0a1b2c3d4e5f60002 (version-5 custom format)
  flow-logs/cloudwatch/   1 Firehose object holding CloudWatch Logs subscription payloads
                          (flow log fl-0a1b2c3d4e5f60003)
  config/<instant>/       EC2 network configuration snapshots, as `aws ec2 describe-*` prints them:
                          the baseline at 09:00, and the NACL change at 10:35 and its fix at 10:50
  topology.json           the network the records describe
  expected.json           counts, incidents, config facts, REJECT attribution and posture findings,
                          computed by reading back the files written

Python 3 standard library only. Deterministic: the same seed gives byte-identical files (gzip
members are written with mtime 0 and no file name). Run: python3 sample-logs/generate.py
"""

import calendar
import gzip
import io
import ipaddress
import json
import random
import shutil
import sys
import zlib
from datetime import datetime, timezone
from pathlib import Path

SEED = 20261128
ACCOUNT = "111122223333"
REGION = "us-east-1"
T0 = calendar.timegm((2026, 11, 2, 10, 0, 0))  # 2026-11-02T10:00:00Z
T1 = T0 + 3600
assert (T0, T1) == (1793613600, 1793617200)
MINUTES = 60
SLOTS = 12  # five-minute S3 objects

HERE = Path(__file__).resolve().parent
OUT_FLOW = HERE / "flow-logs"

DEFAULT_FIELDS = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                  "packets bytes start end action log-status").split()
V5_FIELDS = ("version account-id vpc-id subnet-id instance-id interface-id type srcaddr dstaddr "
             "srcport dstport pkt-srcaddr pkt-dstaddr protocol packets bytes start end action "
             "tcp-flags log-status region az-id sublocation-type sublocation-id pkt-src-aws-service "
             "pkt-dst-aws-service flow-direction traffic-path").split()
INT_FIELDS = {"version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end",
              "tcp-flags", "traffic-path"}
ADDR_FIELDS = {"srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"}

FL_DEFAULT = "fl-0a1b2c3d4e5f60001"
FL_V5 = "fl-0a1b2c3d4e5f60002"
FL_CWL = "fl-0a1b2c3d4e5f60003"
CWL_GROUP = "/vpc/flowlogs/flowtrail-sample/monitoring"
CWL_FILTER = "flowlogs-to-firehose"

rng = random.Random(SEED)
# The configuration snapshots (config/) and the NACL incident draw from their own generators, so
# that adding them left the rest of the hour (traffic, the other incidents) exactly as it was.
crng = random.Random(SEED + 1)
NACL_RNG_SEED = SEED + 2


def hexid(prefix, r=None):
    """AWS-style id: prefix + 17 hex digits (a leading 0, then 16 random)."""
    return "%s0%016x" % (prefix, (r or rng).getrandbits(64))


def chexid(prefix):
    return hexid(prefix, crng)


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------------
# Topology
# --------------------------------------------------------------------------------------------

VPC_ID = "vpc-0f1a2b3c4d5e6f701"
VPC_CIDR = ipaddress.ip_network("10.20.0.0/16")
VPC_CIDR6 = ipaddress.ip_network("2001:db8:20::/56")
IGW_ID = hexid("igw-")
EIGW_ID = hexid("eigw-")
VPCE_S3_ID = hexid("vpce-")
S3_PREFIX_LIST = "pl-63a5400a"
# The S3 addresses used in this sample (a subset of the real us-east-1 S3 ranges).
S3_CIDRS = [ipaddress.ip_network(c) for c in ("52.216.0.0/15", "52.95.128.0/21")]
AMAZON_CIDRS = [ipaddress.ip_network("52.94.0.0/22")]  # AWS API endpoints (SQS, STS, ...)

AZ = {"a": ("us-east-1a", "use1-az4"), "b": ("us-east-1b", "use1-az6")}


class Subnet:
    def __init__(self, name, tier, az, cidr, cidr6):
        self.name, self.tier, self.az = name, tier, az
        self.cidr = ipaddress.ip_network(cidr)
        self.cidr6 = ipaddress.ip_network(cidr6)
        self.id = hexid("subnet-")
        self.az_name, self.az_id = AZ[az]


SUBNETS = [
    Subnet("public-a", "public", "a", "10.20.0.0/24", "2001:db8:20::/64"),
    Subnet("public-b", "public", "b", "10.20.1.0/24", "2001:db8:20:1::/64"),
    Subnet("app-a", "app", "a", "10.20.10.0/24", "2001:db8:20:10::/64"),
    Subnet("app-b", "app", "b", "10.20.11.0/24", "2001:db8:20:11::/64"),
    Subnet("data-a", "data", "a", "10.20.20.0/24", "2001:db8:20:20::/64"),
    Subnet("data-b", "data", "b", "10.20.21.0/24", "2001:db8:20:21::/64"),
]
SUBNET = {s.name: s for s in SUBNETS}

SG_NAMES = ["alb", "bastion", "web", "batch", "db", "cache", "dns", "backup", "monitoring"]
SG = {n: hexid("sg-") for n in SG_NAMES}

# Network ACLs. The public and app subnets use the VPC's default NACL (allow all; its id is drawn
# in topology()). Each data subnet has its own custom NACL with the same entries.
ACL_DATA = {"data-a": chexid("acl-"), "data-b": chexid("acl-")}
NACL_RULE = 90  # the bad entry added to data-a's NACL at 10:35 and removed at 10:50
NACL_DENY_CIDR = "10.20.11.0/24"  # app-b
NACL_DENY_PORT = 5432

# Why each generated REJECT is rejected, in the attribution names Flowtrail uses. Every REJECT
# record is tagged with one when it is generated; expected.json counts them.
CAUSE_SG = "sg:no-matching-rule"  # no inbound rule of the interface's security groups matches
CAUSE_NACL = "nacl:%s#%d" % (ACL_DATA["data-a"], NACL_RULE)
CAUSE_NAT = "nat_gateway:unsolicited-inbound"  # NAT gateways (no SG) drop unsolicited inbound


IDS = {}  # ids drawn at the end of the run by topology(): default NACL, route tables, ALB


class Eni:
    def __init__(self, name, role, subnet, ip4, ip6=None, public_ip=None, instance=True, sg=None,
                 description=""):
        self.name, self.role = name, role
        self.subnet = SUBNET[subnet]
        self.ip4, self.ip6, self.public_ip = ip4, ip6, public_ip
        self.id = hexid("eni-")
        self.instance_id = hexid("i-") if instance else "-"
        self.sg = sg
        self.description = description
        assert ipaddress.ip_address(ip4) in self.subnet.cidr
        if ip6:
            assert ipaddress.ip_address(ip6) in self.subnet.cidr6

    @property
    def log(self):
        if self.role == "monitoring":
            return "cloudwatch"
        if self.role == "nat_gateway" or self.subnet.tier == "data":
            return "v5"
        return "default"


# Own public addresses (Elastic IPs, auto-assigned public IPv4) are 192.0.2.10-.29. Flow logs
# never show them (records carry the private address); they exist so the scan story holds.
E = {}
for _e in [
    Eni("nat-a", "nat_gateway", "public-a", "10.20.0.10", public_ip="192.0.2.10", instance=False,
        description="NAT gateway, AZ a (app-a and data-a egress)"),
    Eni("alb-a", "alb_node", "public-a", "10.20.0.20", "2001:db8:20::20", "192.0.2.11",
        instance=False, sg="alb", description="ALB node, internet-facing, dualstack"),
    Eni("bastion", "bastion", "public-a", "10.20.0.30", public_ip="192.0.2.12", sg="bastion",
        description="SSH bastion"),
    Eni("nat-b", "nat_gateway", "public-b", "10.20.1.10", public_ip="192.0.2.13", instance=False,
        description="NAT gateway, AZ b (app-b and data-b egress)"),
    Eni("alb-b", "alb_node", "public-b", "10.20.1.20", "2001:db8:20:1::20", "192.0.2.14",
        instance=False, sg="alb", description="ALB node, internet-facing, dualstack"),
    Eni("web-a1", "web", "app-a", "10.20.10.11", "2001:db8:20:10::11", "192.0.2.15", sg="web",
        description="web/app server :8080"),
    Eni("web-a2", "web", "app-a", "10.20.10.12", "2001:db8:20:10::12", "192.0.2.16", sg="web",
        description="web/app server :8080"),
    Eni("web-a3", "web", "app-a", "10.20.10.13", "2001:db8:20:10::13", "192.0.2.17", sg="web",
        description="web/app server :8080"),
    Eni("batch-a", "batch", "app-a", "10.20.10.40", "2001:db8:20:10::40", "192.0.2.18", sg="batch",
        description="batch worker"),
    Eni("monitor", "monitoring", "app-a", "10.20.10.90", sg="monitoring",
        description="synthetic health checker (its own flow log, to CloudWatch Logs)"),
    Eni("web-b1", "web", "app-b", "10.20.11.11", "2001:db8:20:11::11", "192.0.2.19", sg="web",
        description="web/app server :8080"),
    Eni("web-b2", "web", "app-b", "10.20.11.12", "2001:db8:20:11::12", "192.0.2.20", sg="web",
        description="web/app server :8080"),
    Eni("web-b3", "web", "app-b", "10.20.11.13", "2001:db8:20:11::13", "192.0.2.21", sg="web",
        description="web/app server :8080"),
    Eni("batch-b", "batch", "app-b", "10.20.11.40", "2001:db8:20:11::40", "192.0.2.22", sg="batch",
        description="batch worker"),
    Eni("db-a", "database", "data-a", "10.20.20.10", "2001:db8:20:20::10", sg="db",
        description="PostgreSQL primary :5432"),
    Eni("cache", "cache", "data-a", "10.20.20.20", "2001:db8:20:20::20", sg="cache",
        description="Redis :6379"),
    Eni("backup", "backup", "data-a", "10.20.20.50", "2001:db8:20:20::50", sg="backup",
        description="backup instance, uploads to S3 through the gateway endpoint"),
    Eni("db-b1", "database", "data-b", "10.20.21.10", "2001:db8:20:21::10", sg="db",
        description="PostgreSQL streaming replica :5432"),
    Eni("db-b2", "database", "data-b", "10.20.21.11", sg="db",
        description="PostgreSQL reporting database :5432 (used by batch jobs only)"),
    Eni("dns", "dns", "data-b", "10.20.21.53", sg="dns",
        description="internal DNS server udp/tcp 53"),
]:
    E[_e.name] = _e
ENIS = list(E.values())
NAT_GW_ID = {"nat-a": hexid("nat-"), "nat-b": hexid("nat-")}
WEBS = [E[n] for n in ("web-a1", "web-a2", "web-a3", "web-b1", "web-b2", "web-b3")]
ALBS = [E["alb-a"], E["alb-b"]]
NAT_FOR = {"a": E["nat-a"], "b": E["nat-b"]}

ADMIN = "198.51.100.10"
SCANNER = "203.0.113.66"
EXFIL_DST = "192.0.2.200"
PARTNER_API = ["203.0.113.45", "203.0.113.46"]
AWS_API = ["52.94.0.%d" % rng.randint(10, 250) for _ in range(3)] + \
          ["52.94.1.%d" % rng.randint(10, 250) for _ in range(3)]
MIRRORS = ["151.101.%d.%d" % (rng.choice((0, 64, 128, 192)), rng.choice((69, 132, 133)))
           for _ in range(6)]
V6_INTERNET = ["2001:db8:f00d:%x::%x" % (rng.randint(1, 0xfff), rng.randint(1, 0xffff))
               for _ in range(5)]
RESERVED_V4 = {ADMIN, SCANNER, EXFIL_DST, *PARTNER_API} | {"192.0.2.%d" % i for i in range(0, 32)}


def _rule(proto, port, *sources):
    return {"protocol": proto, "port": port,
            "sources": [SG[x[3:]] if x.startswith("sg:") else x for x in sources]}


# Inbound security group rules (every group's outbound rule allows all, IPv4 and IPv6).
SG_RULES = {
    "alb": [_rule("tcp", 443, "0.0.0.0/0", "::/0")],
    "bastion": [_rule("tcp", 22, "0.0.0.0/0"), _rule("icmp", None, ADMIN + "/32")],
    "web": [_rule("tcp", 8080, "sg:alb", "sg:monitoring"), _rule("tcp", 22, "sg:bastion")],
    "batch": [_rule("tcp", 22, "sg:bastion")],
    "db": [_rule("tcp", 5432, "sg:web", "sg:batch", "sg:backup", "sg:db"),
           _rule("icmp", None, "sg:web")],
    "cache": [_rule("tcp", 6379, "sg:web")],
    "dns": [_rule("udp", 53, "10.20.0.0/16"), _rule("tcp", 53, "10.20.0.0/16")],
    "backup": [],
    "monitoring": [],
}


def doc_addr():
    """A random address from the three IPv4 documentation ranges, avoiding reserved ones."""
    while True:
        net = rng.choice(("198.51.100", "203.0.113", "192.0.2"))
        a = "%s.%d" % (net, rng.randint(1, 254))
        if a not in RESERVED_V4:
            return a


_pool = []
while len(_pool) < 320:
    _a = doc_addr()
    if _a not in _pool:
        _pool.append(_a)
CLIENTS4 = _pool[:260]
NOISE_POOL = _pool[260:]
CLIENT_WEIGHTS = [1.0 / (i + 1) ** 0.8 for i in range(len(CLIENTS4))]
CLIENTS6 = ["2001:db8:%x:%x::%x" % (rng.randint(0x100, 0xeff), rng.randint(0, 0xffff),
                                     rng.randint(1, 0xffff)) for _ in range(40)]


def in_nets(addr, nets):
    a = ipaddress.ip_address(addr)
    return any(a.version == n.version and a in n for n in nets)


def in_vpc(addr):
    return in_nets(addr, [VPC_CIDR, VPC_CIDR6])


def aws_service(addr):
    if in_nets(addr, S3_CIDRS):
        return "S3"
    if in_nets(addr, AMAZON_CIDRS):
        return "AMAZON"
    return "-"


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

class Rec:
    __slots__ = ("eni", "src", "dst", "sp", "dp", "proto", "pk", "by", "s", "e", "action",
                 "status", "flags", "psrc", "pdst", "direction", "path", "tag", "cause")

    def default_line(self):
        if self.status != "OK":
            return "2 %s %s - - - - - - - %d %d - %s" % (ACCOUNT, self.eni.id, self.s, self.e,
                                                         self.status)
        return "2 %s %s %s %s %d %d %d %d %d %d %d %s OK" % (
            ACCOUNT, self.eni.id, self.src, self.dst, self.sp, self.dp, self.proto, self.pk,
            self.by, self.s, self.e, self.action)

    def v5_line(self):
        x = self.eni
        head = "5 %s %s %s %s %s" % (ACCOUNT, VPC_ID, x.subnet.id, x.instance_id, x.id)
        if self.status != "OK":
            return "%s - - - - - - - - - - %d %d - - %s %s %s - - - - - -" % (
                head, self.s, self.e, self.status, REGION, x.subnet.az_id)
        typ = "IPv6" if ":" in self.src else "IPv4"
        return "%s %s %s %s %d %d %s %s %d %d %d %d %d %s %s OK %s %s - - %s %s %s %s" % (
            head, typ, self.src, self.dst, self.sp, self.dp, self.psrc, self.pdst, self.proto,
            self.pk, self.by, self.s, self.e, self.action, self.flags, REGION, x.subnet.az_id,
            aws_service(self.psrc), aws_service(self.pdst), self.direction, self.path)


RECORDS = []
USED_PORTS = set()  # (addr, port): a source port is used once per address in the hour


def eph(addr, lo=32768, hi=60999):
    while True:
        p = rng.randint(lo, hi)
        if (addr, p) not in USED_PORTS:
            USED_PORTS.add((addr, p))
            return p


def egress_path(eni, dst):
    if in_vpc(dst):
        return "1"
    if eni.role == "nat_gateway":
        return "8"
    if ":" in dst:
        return "8"  # egress-only internet gateway
    if in_nets(dst, S3_CIDRS) and eni.subnet.tier == "data":
        return "7"  # S3 gateway endpoint (Nitro)
    if eni.subnet.tier == "public":
        return "8"
    return "1"  # private subnet to the internet: next hop is the NAT gateway ENI in the VPC


def add(eni, src, dst, sp, dp, proto, pk, by, s, e, action, flags, direction, psrc=None,
        pdst=None, tag="", cause=None):
    """cause: for a REJECT, why it was generated (see the CAUSE_* constants); None for ACCEPT."""
    assert (action == "REJECT") == (cause is not None), (action, cause)
    r = Rec()
    r.eni, r.src, r.dst, r.sp, r.dp, r.proto = eni, src, dst, sp, dp, proto
    r.pk, r.by, r.s, r.e, r.action, r.status = pk, by, s, e, action, "OK"
    r.flags = str(flags) if proto == 6 else "0"
    r.psrc, r.pdst = psrc or src, pdst or dst
    r.direction = direction
    r.path = egress_path(eni, r.pdst if eni.role == "nat_gateway" else dst) \
        if direction == "egress" else "-"
    r.tag = tag
    r.cause = cause
    RECORDS.append(r)
    return r


def status_rec(eni, status, s, e):
    r = Rec()
    r.eni, r.status, r.s, r.e, r.tag, r.cause = eni, status, s, e, "", None
    RECORDS.append(r)


class Seg:
    """One aggregation interval of a connection: forward (initiator->responder) and reverse."""
    __slots__ = ("s", "e", "fpk", "fby", "rpk", "rby", "ff", "rf")

    def __init__(self, s, e, fpk, fby, rpk=0, rby=0, ff=0, rf=0):
        assert T0 <= s <= e <= s + 60 and s // 60 == e // 60, (s, e)
        self.s, self.e, self.fpk, self.fby, self.rpk, self.rby, self.ff, self.rf = \
            s, e, fpk, fby, rpk, rby, ff, rf


def jitter(s, e):
    """The other ENI's capture of the same packets: same minute, a second apart at most."""
    top = s - s % 60 + 59
    s2 = min(s + rng.choice((0, 0, 0, 1)), top)
    e2 = min(max(e + rng.choice((0, 0, 0, 1)), s2), top)
    return s2, e2


def conv(a, b, proto, sp, dp, segs, action="ACCEPT", nat=None, natport=None, tag="",
         cause=None):
    """Emit the records of one connection on every monitored ENI it crosses.

    a, b: (address, Eni or None) for initiator and responder. nat: the NAT gateway ENI the
    connection is translated by (b is then an internet address). A REJECTed connection is
    rejected on the responder's ingress; cause says by what (one of the CAUSE_* values)."""
    assert (action == "REJECT") == (cause is not None) and (b[1] or action == "ACCEPT")
    a_addr, a_eni = a
    b_addr, b_eni = b
    for g in segs:
        rev = g.rpk > 0 and action == "ACCEPT"
        if a_eni:
            add(a_eni, a_addr, b_addr, sp, dp, proto, g.fpk, g.fby, g.s, g.e, "ACCEPT", g.ff,
                "egress", tag=tag)
            if rev:
                add(a_eni, b_addr, a_addr, dp, sp, proto, g.rpk, g.rby, g.s, g.e, "ACCEPT", g.rf,
                    "ingress", tag=tag)
        if nat:
            n = nat.ip4
            s2, e2 = jitter(g.s, g.e)
            add(nat, a_addr, n, sp, dp, proto, g.fpk, g.fby, s2, e2, "ACCEPT", g.ff, "ingress",
                psrc=a_addr, pdst=b_addr, tag=tag)
            add(nat, n, b_addr, natport, dp, proto, g.fpk, g.fby, s2, e2, "ACCEPT", g.ff,
                "egress", tag=tag)
            if rev:
                add(nat, b_addr, n, dp, natport, proto, g.rpk, g.rby, s2, e2, "ACCEPT", g.rf,
                    "ingress", tag=tag)
                add(nat, n, a_addr, dp, sp, proto, g.rpk, g.rby, s2, e2, "ACCEPT", g.rf,
                    "egress", psrc=b_addr, pdst=a_addr, tag=tag)
        if b_eni:
            s2, e2 = jitter(g.s, g.e)
            add(b_eni, a_addr, b_addr, sp, dp, proto, g.fpk, g.fby, s2, e2, action, g.ff,
                "ingress", tag=tag, cause=cause)
            if rev:
                add(b_eni, b_addr, a_addr, dp, sp, proto, g.rpk, g.rby, s2, e2, "ACCEPT", g.rf,
                    "egress", tag=tag)


def ep(x, v6=False):
    if isinstance(x, Eni):
        return (x.ip6 if v6 else x.ip4, x)
    return (x, None)


def ms(m):
    return T0 + 60 * m


def load(m):
    """Traffic shape over the hour: a gentle morning ramp."""
    return 0.85 + 0.3 * m / 59


def nbytes(pk, lo, hi):
    return int(pk * rng.uniform(lo, hi))


def short_seg(m, fpk, fby, rpk=0, rby=0, tcp=True, at=None, dur=None):
    base = ms(m)
    s = base + (rng.randint(0, 52) if at is None else at)
    e = min(s + (rng.randint(0, 6) if dur is None else dur), base + 59)
    ff, rf = (3, 19) if tcp else (0, 0)
    return Seg(s, e, fpk, fby, rpk, rby, ff, rf)


def long_lived(a, b, proto, dp, m0, m1, vol, life=(12, 40), open_before=True, open_after=True,
               nat=None, tag=""):
    """A connection kept open across minutes (pools, keep-alive), replaced now and then.
    vol(m) -> (fpk, fby, rpk, rby). One record per minute per direction per ENI."""
    m = m0
    first = True
    while m <= m1:
        end_m = min(m + rng.randint(*life) - 1, m1)
        opened_here = not (first and open_before)
        closes_here = end_m < m1 or not open_after
        sp = eph(a[0])
        natport = eph(nat.ip4, 1024, 65535) if nat else None
        segs = []
        for mm in range(m, end_m + 1):
            base = ms(mm)
            op = opened_here and mm == m
            cl = closes_here and mm == end_m
            s = base + (rng.randint(1, 30) if op else rng.randint(0, 2))
            e = (min(s + rng.randint(5, 25), base + 59) if cl else base + rng.randint(56, 59))
            fpk, fby, rpk, rby = vol(mm)
            ff = (2 if op else 0) | (1 if cl else 0)
            rf = (18 if op else 0) | (1 if cl else 0)
            segs.append(Seg(s, e, fpk, fby, rpk, rby, ff, rf))
        conv(a, b, proto, sp, dp, segs, nat=nat, natport=natport, tag=tag)
        m = end_m + 1
        first = False
    return sp  # the source port of the last connection


# --------------------------------------------------------------------------------------------
# Normal traffic
# --------------------------------------------------------------------------------------------

BATCH_A_ACTIVE = set(range(0, 18)) | set(range(46, 60))
BATCH_B_DB_B2 = [(5, 14), (35, 44)]


def traffic_clients_to_alb():
    for m in range(MINUTES):
        n = int(round(22 * load(m) * rng.uniform(0.8, 1.2)))
        for _ in range(n):
            client = rng.choices(CLIENTS4, CLIENT_WEIGHTS)[0]
            alb = rng.choice(ALBS)
            fpk = rng.randint(6, 30)
            rpk = rng.randint(5, 120)
            if rng.random() < 0.1 and m < 59:  # keep-alive across a minute boundary
                sp = eph(client)
                s1 = ms(m) + rng.randint(20, 55)
                s2 = ms(m + 1)
                segs = [Seg(s1, ms(m) + 59, fpk, nbytes(fpk, 90, 450), rpk,
                            nbytes(rpk, 600, 1400), 2, 18),
                        Seg(s2, s2 + rng.randint(2, 40), 4, nbytes(4, 52, 200), 3,
                            nbytes(3, 52, 900), 1, 1)]
                conv(ep(client), ep(alb), 6, sp, 443, segs)
            else:
                conv(ep(client), ep(alb), 6, eph(client), 443,
                     [short_seg(m, fpk, nbytes(fpk, 90, 450), rpk, nbytes(rpk, 600, 1400),
                                dur=rng.randint(0, 12))])
        for _ in range(rng.choice((1, 2, 3, 3, 4))):  # IPv6 clients
            client = rng.choice(CLIENTS6)
            alb = rng.choice(ALBS)
            fpk, rpk = rng.randint(6, 25), rng.randint(5, 90)
            conv(ep(client), ep(alb, v6=True), 6, eph(client), 443,
                 [short_seg(m, fpk, nbytes(fpk, 110, 470), rpk, nbytes(rpk, 620, 1420))])


def traffic_alb_to_web():
    for alb in ALBS:
        for web in WEBS:
            def vol(m):
                fpk = int(rng.randint(20, 80) * load(m))
                rpk = int(fpk * rng.uniform(1.5, 4))
                return fpk, nbytes(fpk, 200, 900), rpk, nbytes(rpk, 700, 1400)
            long_lived(ep(alb), ep(web), 6, 8080, 0, 59, vol, life=(15, 45))
    # health checks: every 30 s from each node to each target, a new connection each time
    for alb in ALBS:
        for web in WEBS:
            phase = rng.randint(0, 29)
            for m in range(MINUTES):
                for off in (phase, phase + 30):
                    conv(ep(alb), ep(web), 6, eph(alb.ip4), 8080,
                         [short_seg(m, rng.choice((5, 6)), rng.randint(330, 420),
                                    rng.choice((4, 5)), rng.randint(440, 520), at=off,
                                    dur=rng.choice((0, 0, 1)))])


def dbvol(m):
    """A web server's pooled PostgreSQL connection, one minute."""
    fpk = rng.randint(30, 160)
    rpk = int(fpk * rng.uniform(1.0, 3.0))
    return fpk, nbytes(fpk, 90, 400), rpk, nbytes(rpk, 300, 1300)


def traffic_app_to_data():
    for web in WEBS:
        n = len(RECORDS)
        long_lived(ep(web), ep(E["db-a"]), 6, 5432, 0, 59, dbvol, life=(20, 60))
        if web.subnet.name == "app-b":
            # app-b -> db-a is generated by incident_nacl_db() instead (cut from 10:35 to 10:50).
            # This draw is kept, and its records dropped, so that the random stream, and with it
            # the rest of the hour, is what it was before that incident was added.
            del RECORDS[n:]
        long_lived(ep(web), ep(E["db-b1"]), 6, 5432, 0, 59, dbvol, life=(20, 60))

        def cachevol(m):
            fpk = rng.randint(80, 400)
            return fpk, nbytes(fpk, 70, 160), fpk, nbytes(fpk, 80, 700)
        v6 = web.name in ("web-a1", "web-b1")  # these two reach Redis over IPv6
        long_lived(ep(web, v6), ep(E["cache"], v6), 6, 6379, 0, 59, cachevol, life=(25, 60))
    # streaming replication: the replica connects to the primary, WAL flows back
    long_lived(ep(E["db-b1"]), ep(E["db-a"]), 6, 5432, 0, 59,
               lambda m: (rng.randint(40, 90), rng.randint(2600, 6000),
                          rng.randint(300, 1500), rng.randint(400_000, 2_000_000)),
               life=(60, 60))
    # batch-b reads the reporting database in two bursts (db-b2 is idle otherwise)
    for m0, m1 in BATCH_B_DB_B2:
        long_lived(ep(E["batch-b"]), ep(E["db-b2"]), 6, 5432, m0, m1,
                   lambda m: (rng.randint(50, 200), rng.randint(5000, 30000),
                              rng.randint(500, 4000), rng.randint(600_000, 5_000_000)),
                   life=(10, 10), open_before=False, open_after=False)
    # pg_dump from the backup instance at the top of the hour
    long_lived(ep(E["backup"]), ep(E["db-a"]), 6, 5432, 0, 14,
               lambda m: (rng.randint(800, 2000), rng.randint(45_000, 110_000),
                          rng.randint(20_000, 60_000), rng.randint(28_000_000, 85_000_000)),
               life=(15, 15), open_before=False, open_after=False)


def traffic_dns():
    dns = E["dns"]
    for m in range(MINUTES):
        clients = list(WEBS) + [E["batch-b"]]
        if m in BATCH_A_ACTIVE:
            clients.append(E["batch-a"])
        for c in clients:
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
                if rng.random() < 0.02:  # large answer, retried over TCP
                    conv(ep(c), ep(dns), 6, eph(c.ip4), 53,
                         [short_seg(m, 5, rng.randint(300, 360), 5, rng.randint(1200, 3200),
                                    dur=0)])
                else:
                    conv(ep(c), ep(dns), 17, eph(c.ip4), 53,
                         [short_seg(m, 1, rng.randint(62, 88), 1, rng.randint(78, 260),
                                    tcp=False, dur=0)])


def internet_egress(src, dst, m, fpk, fby, rpk, rby, tag=""):
    nat = NAT_FOR[src.subnet.az]
    conv(ep(src), ep(dst), 6, eph(src.ip4), 443, [short_seg(m, fpk, fby, rpk, rby)], nat=nat,
         natport=eph(nat.ip4, 1024, 65535), tag=tag)


def traffic_egress():
    for m in range(MINUTES):
        for web in WEBS:
            if rng.random() < 0.45:
                dst = rng.choice(AWS_API + PARTNER_API)
                fpk, rpk = rng.randint(8, 40), rng.randint(6, 50)
                internet_egress(web, dst, m, fpk, nbytes(fpk, 120, 700), rpk,
                                nbytes(rpk, 200, 1300))
        if rng.random() < 0.8:  # app egress over IPv6 through the egress-only IGW
            web = rng.choice(WEBS)
            dst = rng.choice(V6_INTERNET)
            fpk, rpk = rng.randint(8, 30), rng.randint(8, 60)
            conv(ep(web, True), ep(dst), 6, eph(web.ip6), 443,
                 [short_seg(m, fpk, nbytes(fpk, 120, 600), rpk, nbytes(rpk, 400, 1400))])
        for batch in (E["batch-a"], E["batch-b"]):
            if batch.name == "batch-a" and m not in BATCH_A_ACTIVE:
                continue
            for _ in range(rng.choice((1, 1, 2, 3))):
                dst = rng.choice(MIRRORS + AWS_API[:3])
                fpk, rpk = rng.randint(20, 120), rng.randint(200, 4000)
                internet_egress(batch, dst, m, fpk, nbytes(fpk, 60, 200), rpk,
                                nbytes(rpk, 1200, 1460))


def traffic_backup_s3():
    bk = E["backup"]
    for m in range(MINUTES):
        for _ in range(rng.choice((2, 3, 3, 4))):
            if rng.random() < 0.6:
                dst = "52.%d.%d.%d" % (rng.choice((216, 217)), rng.randint(0, 255),
                                      rng.randint(1, 254))
            else:
                dst = "52.95.%d.%d" % (rng.randint(128, 135), rng.randint(1, 254))
            fpk = rng.randint(8_000, 60_000)
            rpk = fpk // 2 + rng.randint(0, 500)
            conv(ep(bk), ep(dst), 6, eph(bk.ip4), 443,
                 [short_seg(m, fpk, fpk * rng.randint(1380, 1448), rpk, rpk * 52,
                            dur=rng.randint(3, 30))])
    # OS updates over IPv6 from data hosts, through the egress-only IGW
    for name, m in (("backup", 12), ("db-b1", 38), ("cache", 51)):
        h = E[name]
        fpk, rpk = rng.randint(40, 90), rng.randint(900, 3000)
        conv(ep(h, True), ep(rng.choice(V6_INTERNET)), 6, eph(h.ip6), 443,
             [short_seg(m, fpk, nbytes(fpk, 80, 120), rpk, nbytes(rpk, 1300, 1440),
                        dur=rng.randint(2, 6))])


def traffic_admin():
    bastion = E["bastion"]
    for m0, m1 in ((5, 35), (46, 58)):
        long_lived(ep(ADMIN), ep(bastion), 6, 22, m0, m1,
                   lambda m: (rng.randint(20, 300), rng.randint(2000, 25000),
                              rng.randint(20, 400), rng.randint(3000, 60000)),
                   life=(60, 60), open_before=False, open_after=False)
    long_lived(ep(bastion), ep(E["web-a2"]), 6, 22, 10, 18,
               lambda m: (rng.randint(20, 200), rng.randint(2000, 18000),
                          rng.randint(20, 300), rng.randint(3000, 45000)),
               life=(60, 60), open_before=False, open_after=False)
    # ICMP: the admin pings the bastion; a web server pings the primary database
    for m in (6, 47):
        conv(ep(ADMIN), ep(bastion), 1, 0, 0,
             [short_seg(m, 4, 336, 4, 336, tcp=False, dur=3)])
    conv(ep(E["web-a1"]), ep(E["db-a"]), 1, 0, 0,
         [short_seg(31, 3, 252, 3, 252, tcp=False, dur=2)])


def traffic_monitor():
    """The health checker runs one round a minute, 10:00-10:04, then its job ends."""
    mon = E["monitor"]
    for m in range(5):
        base = rng.randint(2, 8)
        conv(ep(mon), ep(E["web-a1"]), 6, eph(mon.ip4), 8080,
             [short_seg(m, 5, rng.randint(340, 400), 4, rng.randint(600, 900), at=base, dur=0)])
        conv(ep(mon), ep(E["web-b1"]), 6, eph(mon.ip4), 8080,
             [short_seg(m, 5, rng.randint(340, 400), 4, rng.randint(600, 900), at=base + 1,
                        dur=0)])
        conv(ep(mon), ep(E["dns"]), 17, eph(mon.ip4), 53,
             [short_seg(m, 1, rng.randint(64, 80), 1, rng.randint(80, 120), tcp=False,
                        at=base + 2, dur=0)])


def traffic_noise():
    """Background internet probes against the public side: a handful per five minutes,
    each from a different address."""
    sources = list(NOISE_POOL)
    rng.shuffle(sources)
    targets = ALBS + [E["nat-a"], E["nat-b"]]
    for slot in range(SLOTS):
        for _ in range(rng.randint(3, 6)):
            src = sources.pop()
            t = rng.choice(targets)
            port = rng.choice((22, 23, 3389, 445, 8080))
            m = slot * 5 + rng.randint(0, 4)
            pk = rng.choice((1, 1, 2))
            conv(ep(src), ep(t), 6, eph(src), port,
                 [Seg(*_one(m, 0 if pk == 1 else rng.randint(1, 3)), pk, pk * 44, 0, 0, 2, 0)],
                 action="REJECT", tag="noise", cause=reject_cause(t))


def reject_cause(target):
    """Unsolicited inbound from the internet: a NAT gateway drops it (it has no security group);
    any other interface here rejects it because no inbound rule of its groups matches."""
    return CAUSE_NAT if target.role == "nat_gateway" else CAUSE_SG


def _one(m, dur=None):
    s = ms(m) + rng.randint(0, 57)
    e = min(s + (rng.choice((0, 0, 1, 2)) if dur is None else dur), ms(m) + 59)
    return s, e


# --------------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------------

COMMON_PORTS = [21, 22, 23, 25, 53, 80, 81, 110, 111, 135, 139, 143, 161, 389, 443, 445, 465,
                514, 587, 631, 873, 993, 995, 1080, 1433, 1521, 1723, 2049, 2375, 2376, 3000,
                3306, 3389, 5000, 5432, 5601, 5900, 5985, 6379, 6443, 7001, 8000, 8008, 8080,
                8081, 8443, 8888, 9000, 9090, 9200, 9300, 10250, 11211, 27017]
SWEEP_HOSTS = ["bastion", "alb-a", "alb-b", "nat-a", "nat-b", "web-a1", "web-a2", "web-b1",
               "web-b2", "web-b3", "batch-a", "batch-b"]


def incident_port_scan():
    bastion = E["bastion"]
    ports = [p for p in COMMON_PORTS if p != 22]
    while len(ports) < 199:
        p = rng.randint(1, 10000)
        if p not in ports and p != 22:
            ports.append(p)
    rng.shuffle(ports)
    syn_port = 48213  # a SYN scanner sends every probe from one source port
    USED_PORTS.add((SCANNER, syn_port))
    # vertical: 10:20:00-10:24:59, ~40 ports a minute, rejected except 22
    for i, port in enumerate(ports):
        m = 20 + i * 5 // len(ports)
        pk = rng.choice((1, 1, 1, 2))
        conv(ep(SCANNER), ep(bastion), 6, syn_port, port,
             [Seg(*_one(m, 0 if pk == 1 else 1), pk, pk * 44, 0, 0, 2, 0)], action="REJECT",
             tag="scan-vertical", cause=CAUSE_SG)
    # port 22 answers: SYN / SYN-ACK / RST from the SYN probe, then two banner grabs
    conv(ep(SCANNER), ep(bastion), 6, syn_port, 22,
         [Seg(*_one(21, 0), 2, 84, 1, 44, 6, 18)], tag="scan-vertical")
    for m in (23, 24):
        conv(ep(SCANNER), ep(bastion), 6, eph(SCANNER), 22,
             [Seg(*_one(m, 2), 7, rng.randint(520, 600), 6, rng.randint(1000, 1200), 3, 19)],
             tag="scan-vertical")
    # horizontal: port 22 on 12 hosts, two passes, 10:25-10:26 and 10:28-10:29
    sweep_port = 40561
    USED_PORTS.add((SCANNER, sweep_port))
    for passno, m0 in enumerate((25, 28)):
        hosts = list(SWEEP_HOSTS)
        rng.shuffle(hosts)
        for i, name in enumerate(hosts):
            h = E[name]
            off = i * 8 + rng.randint(0, 6)
            m = m0 + off // 60
            s = ms(m) + off % 60
            if name == "bastion":
                conv(ep(SCANNER), ep(h), 6, sweep_port, 22, [Seg(s, s, 2, 84, 1, 44, 6, 18)],
                     tag="scan-horizontal")
            else:
                pk = rng.choice((1, 2))
                conv(ep(SCANNER), ep(h), 6, sweep_port, 22,
                     [Seg(s, min(s + pk - 1, ms(m) + 59), pk, pk * 44, 0, 0, 2, 0)],
                     action="REJECT", tag="scan-horizontal", cause=reject_cause(h))


def incident_reject_burst():
    """web-b2 was pointed at web-a3 instead of the database and the cache: 10:40-10:44."""
    src, dst = E["web-b2"], E["web-a3"]
    for m in range(40, 45):
        for i in range(80):
            port = (5432, 6379)[i % 2]
            pk = rng.choice((1, 2, 3, 3))
            conv(ep(src), ep(dst), 6, eph(src.ip4), port,
                 [Seg(*_one(m, min(pk - 1, 3) * rng.randint(1, 3)), pk, pk * 60, 0, 0, 2, 0)],
                 action="REJECT", tag="reject-burst", cause=CAUSE_SG)
    for m in range(41, 44):  # ... and its resolver too
        for _ in range(12):
            pk = rng.choice((1, 2))
            conv(ep(src), ep(dst), 17, eph(src.ip4), 53,
                 [Seg(*_one(m, pk - 1), pk, pk * rng.randint(62, 80), 0, 0, 0, 0)],
                 action="REJECT", tag="reject-burst", cause=CAUSE_SG)


def incident_egress():
    """batch-b uploads ~3 GB to a destination never contacted before: 10:50-10:54."""
    src = E["batch-b"]
    nat = NAT_FOR["b"]
    for m in range(50, 55):
        by = rng.randint(580_000_000, 620_000_000)
        pk = by // 1448 + 1
        rpk = pk // 2
        s = ms(m) + rng.randint(1, 4)
        e = ms(m) + rng.randint(55, 59)
        conv(ep(src), ep(EXFIL_DST), 6, eph(src.ip4), 443,
             [Seg(s, e, pk, by, rpk, rpk * 52, 3, 19)], nat=nat,
             natport=eph(nat.ip4, 1024, 65535), tag="egress")


NACL_ON, NACL_OFF = ms(35), ms(50)  # rule 90 is in data-a's NACL from 10:35:00 to 10:49:59
SYN_RETRIES = (0, 1, 3, 7)  # Linux SYN retransmissions (s after the first) within a 10 s timeout
SYN_BYTES = 60  # IPv4 SYN with options


def incident_nacl_db():
    """10:35 someone adds entry 90 to data-a's NACL: inbound deny tcp 5432 from app-b
    (10.20.11.0/24). The web servers of app-b lose the PostgreSQL primary until 10:50, when the
    entry is removed. NACLs are stateless, so the pooled connection each of them has open at
    10:35 is cut too, not only new ones.

    Drawn from its own random generator (see traffic_app_to_data)."""
    global rng
    main_rng, rng = rng, random.Random(NACL_RNG_SEED)
    try:
        db = E["db-a"]
        for web in (E["web-b1"], E["web-b2"], E["web-b3"]):
            sp = long_lived(ep(web), ep(db), 6, 5432, 0, 34, dbvol, life=(20, 60))
            # 10:35: the next query on the open connection is dropped at data-a's boundary, is
            # retransmitted, and after the driver's 30 s socket timeout the pool closes the
            # connection (FIN, dropped too). db-a never sees any of it, so it never answers.
            s = NACL_ON + rng.randint(0, 3)
            e = s + 30 + rng.randint(0, 2)
            pk = rng.randint(8, 11)
            conv(ep(web), ep(db), 6, sp, 5432, [Seg(s, e, pk, nbytes(pk, 80, 220), ff=1)],
                 action="REJECT", tag="nacl-db-a", cause=CAUSE_NACL)
            # Then the pool reconnects, two slots in parallel: every attempt is a SYN and its
            # retransmissions at +1, +3 and +7 s, given up after the 10 s connect timeout, then
            # a short back-off. The last attempt ends before 10:50:00.
            for slot in range(2):
                t = e + 1 + rng.randint(0, 6) + 5 * slot
                while t + SYN_RETRIES[-1] < NACL_OFF:
                    sport = eph(web.ip4)
                    per_min = {}
                    for off in SYN_RETRIES:
                        per_min.setdefault((t + off) // 60, []).append(t + off)
                    segs = [Seg(ts[0], ts[-1], len(ts), len(ts) * SYN_BYTES, ff=2)
                            for _, ts in sorted(per_min.items())]
                    conv(ep(web), ep(db), 6, sport, 5432, segs, action="REJECT",
                         tag="nacl-db-a", cause=CAUSE_NACL)
                    t += 10 + rng.randint(1, 8)
            # 10:50: entry 90 is gone; the next attempt succeeds and the pool is back.
            long_lived(ep(web), ep(db), 6, 5432, 50, 59, dbvol, life=(20, 60), open_before=False)
    finally:
        rng = main_rng


# --------------------------------------------------------------------------------------------
# NODATA / SKIPDATA, files
# --------------------------------------------------------------------------------------------

QUIET = ["batch-a", "db-b2"]
SKIPS = [("alb-a", 13), ("nat-a", 37), ("web-b2", 52)]


def status_records():
    busy = {(r.eni.name, (r.s - T0) // 60) for r in RECORDS}
    for name in QUIET:
        for m in range(MINUTES):
            if (name, m) not in busy:
                status_rec(E[name], "NODATA", ms(m) + rng.randint(0, 2), ms(m) + rng.randint(57, 59))
    for name, m in SKIPS:
        status_rec(E[name], "SKIPDATA", ms(m), ms(m) + 59)


def slot_of(t):
    return (t - T0) // 300


def gz(data, level=9):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="", compresslevel=level) as f:
        f.write(data)
    return buf.getvalue()


def s3_key(root, flow_log_id, slot):
    stamp = datetime.fromtimestamp(T0 + slot * 300, timezone.utc).strftime("%Y%m%dT%H%MZ")
    name = "%s_vpcflowlogs_%s_%s_%s_%08x.log.gz" % (ACCOUNT, REGION, flow_log_id, stamp,
                                                    rng.getrandbits(32))
    return root / "AWSLogs" / ACCOUNT / "vpcflowlogs" / REGION / "2026" / "11" / "02" / name


MALFORMED_FILE_SLOT = 6


def malformed_lines():
    w1, w2 = E["web-a1"], E["web-a2"]
    t = ms(31) + 17
    return [
        ("truncated record (10 of 14 fields)",
         "2 %s %s %s %s 43512 5432 6 18 29" % (ACCOUNT, w1.id, w1.ip4, E["db-a"].ip4)),
        ("packets is not a number: 12x",
         "2 %s %s %s %s 44018 443 6 12x 2011 %d %d ACCEPT OK" % (
             ACCOUNT, w2.id, w2.ip4, AWS_API[0], t, t + 4)),
        ("dstaddr is not an IP address: 10.20.300.5",
         "2 %s %s %s 10.20.300.5 45120 8080 6 9 1733 %d %d ACCEPT OK" % (
             ACCOUNT, w2.id, w2.ip4, t + 9, t + 11)),
    ]


def build_files():
    by_log = {"default": [], "v5": [], "cloudwatch": []}
    for r in RECORDS:
        by_log[r.eni.log].append(r)
    written = []
    for log, flid, fields in (("default", FL_DEFAULT, DEFAULT_FIELDS), ("v5", FL_V5, V5_FIELDS)):
        slots = [[] for _ in range(SLOTS)]
        for r in by_log[log]:
            k = slot_of(r.s)
            assert k == slot_of(r.e) and 0 <= k < SLOTS
            slots[k].append(r)
        # late delivery: ~3% of each slot's records arrive in the next object
        late = [[] for _ in range(SLOTS)]
        for k in range(SLOTS - 1):
            moved = set(rng.sample(range(len(slots[k])), round(0.03 * len(slots[k]))))
            late[k + 1] = [r for i, r in enumerate(slots[k]) if i in moved]
            slots[k] = [r for i, r in enumerate(slots[k]) if i not in moved]
        for k in range(SLOTS):
            start = T0 + 300 * k
            keyed = [(r.s + rng.randint(0, 90), i, r) for i, r in enumerate(slots[k])]
            keyed += [(start + rng.randint(0, 299), len(keyed) + i, r)
                      for i, r in enumerate(late[k])]
            keyed.sort(key=lambda x: (x[0], x[1]))
            lines = [(r.default_line() if log == "default" else r.v5_line()) for _, _, r in keyed]
            if log == "default" and k == MALFORMED_FILE_SLOT:
                n = len(lines)
                for frac, (_, bad) in zip((0.1, 0.45, 0.8), malformed_lines()):
                    lines.insert(int(n * frac), bad)
            text_lines = [" ".join(fields)] + lines
            path = s3_key(OUT_FLOW / log, flid, k)
            if log == "v5" and k == 7:  # written by two appends: a two-member gzip
                half = len(text_lines) // 2
                data = gz(("\n".join(text_lines[:half]) + "\n").encode()) + \
                    gz(("\n".join(text_lines[half:]) + "\n").encode())
            else:
                data = gz(("\n".join(text_lines) + "\n").encode())
            written.append((path, data, log, flid, k))
    # CloudWatch Logs subscription payloads, as Firehose writes them to S3 (gzip members)
    mon = E["monitor"]
    events = sorted(by_log["cloudwatch"], key=lambda r: (r.s, r.e))
    assert all(r.eni is mon for r in events)
    first_id = 38000000000000000000000000000000000000000000000000000000 + rng.getrandbits(100)
    control = {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "",
               "logStream": "", "subscriptionFilters": [],
               "logEvents": [{"id": "", "timestamp": (T0 + 97) * 1000,
                              "message": "CWL CONTROL MESSAGE: Checking health of destination "
                                         "Firehose."}]}
    data_msg = {"messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": CWL_GROUP,
                "logStream": "%s-all" % mon.id, "subscriptionFilters": [CWL_FILTER],
                "logEvents": [{"id": str(first_id + i), "timestamp": r.s * 1000,
                               "message": r.default_line()} for i, r in enumerate(events)]}
    uid = "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                         0x4000 | rng.getrandbits(12),
                                         0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    cpath = OUT_FLOW / "cloudwatch" / ("flowlogs-firehose-1-2026-11-02-10-01-37-%s.gz" % uid)
    cdata = b"".join(gz(json.dumps(x, separators=(",", ":")).encode(), 6)
                     for x in (control, data_msg))
    written.append((cpath, cdata, "cloudwatch", FL_CWL, None))
    if OUT_FLOW.exists():
        shutil.rmtree(OUT_FLOW)
    for path, data, *_ in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return written


# --------------------------------------------------------------------------------------------
# Read back what was written: expected.json is computed from the files, not from memory
# --------------------------------------------------------------------------------------------

def gzip_members(data):
    out = []
    while data:
        d = zlib.decompressobj(wbits=31)
        out.append(d.decompress(data) + d.flush())
        data = d.unused_data
    return out


def check_line(fields, line):
    """Return (record dict, None) or (None, reason)."""
    tok = line.split(" ")
    if len(tok) != len(fields):
        return None, "expected %d fields, got %d" % (len(fields), len(tok))
    rec = dict(zip(fields, tok))
    for f in fields:
        v = rec[f]
        if v == "-":
            continue
        if f in INT_FIELDS and not v.isdigit():
            return None, "%s is not an integer: %s" % (f, v)
        if f in ADDR_FIELDS:
            try:
                ipaddress.ip_address(v)
            except ValueError:
                return None, "%s is not an IP address: %s" % (f, v)
    if rec["log-status"] not in ("OK", "NODATA", "SKIPDATA"):
        return None, "bad log-status"
    return rec, None


def read_back(written):
    eni_by_id = {x.id: x for x in ENIS}
    files, malformed, all_recs = [], [], []
    for path, data, log, flid, k in written:
        rel = str(path.relative_to(HERE))
        members = gzip_members(data)
        assert b"".join(members) == gzip.decompress(data)
        st = {"path": rel, "flow_log_id": flid, "format": log, "gzip_members": len(members),
              "lines": 0, "ok": 0, "nodata": 0, "skipdata": 0, "malformed": 0, "accept": 0,
              "reject": 0, "packets": 0, "bytes": 0, "ipv6_records": 0, "late_records": 0}
        if log == "cloudwatch":
            st.update({"control_messages": 0, "data_messages": 0, "log_events": 0})
            rows = []
            for mem in members:
                env = json.loads(mem)
                if env["messageType"] == "CONTROL_MESSAGE":
                    st["control_messages"] += 1
                    continue
                st["data_messages"] += 1
                for ev in env["logEvents"]:
                    st["log_events"] += 1
                    rows.append((None, ev["message"]))
                    rec, _ = check_line(DEFAULT_FIELDS, ev["message"])
                    assert rec and ev["timestamp"] == int(rec["start"]) * 1000
            fields = DEFAULT_FIELDS
            st["interval_start"] = st["interval_end"] = None
        else:
            text = b"".join(members).decode()
            assert text.endswith("\n")
            lines = text[:-1].split("\n")
            fields = DEFAULT_FIELDS if log == "default" else V5_FIELDS
            assert lines[0] == " ".join(fields)
            st["header"] = lines[0]
            rows = [(i, ln) for i, ln in enumerate(lines[1:], start=2)]
            st["interval_start"] = iso(T0 + 300 * k)
            st["interval_end"] = iso(T0 + 300 * (k + 1))
        starts, ends = [], []
        for lineno, ln in rows:
            st["lines"] += 1
            rec, why = check_line(fields, ln)
            if rec is None:
                st["malformed"] += 1
                malformed.append({"file": rel, "line": lineno, "reason": why, "raw": ln})
                continue
            status = rec["log-status"]
            starts.append(int(rec["start"]))
            ends.append(int(rec["end"]))
            if k is not None and int(rec["start"]) < T0 + 300 * k:
                st["late_records"] += 1
                assert int(rec["start"]) >= T0 + 300 * (k - 1)
            elif k is not None:
                assert T0 + 300 * k <= int(rec["start"]) <= int(rec["end"]) < T0 + 300 * (k + 1)
            if status != "OK":
                st[status.lower()] += 1
                continue
            st["ok"] += 1
            st[rec["action"].lower()] += 1
            st["packets"] += int(rec["packets"])
            st["bytes"] += int(rec["bytes"])
            st["ipv6_records"] += ":" in rec["srcaddr"]
            assert 0 <= int(rec["end"]) - int(rec["start"]) <= 60
            rec["_eni"] = eni_by_id[rec["interface-id"]]
            all_recs.append(rec)
        st["min_start"] = iso(min(starts))
        st["max_end"] = iso(max(ends))
        assert st["lines"] == st["ok"] + st["nodata"] + st["skipdata"] + st["malformed"]
        files.append(st)
    return files, malformed, all_recs


def check_both_sides(recs):
    """Every flow between two monitored ENIs is on both: egress on one, ingress on the other."""
    by_addr = {}
    for x in ENIS:
        by_addr[x.ip4] = x
        if x.ip6:
            by_addr[x.ip6] = x
    seen = {}
    for r in recs:
        key = (r["_eni"].id, r["srcaddr"], r["dstaddr"], r["srcport"], r["dstport"],
               r["protocol"], int(r["start"]) // 60)
        assert key not in seen, "duplicate flow record %s" % (key,)
        seen[key] = r
    for r in recs:
        x = r["_eni"]
        if x.role == "nat_gateway":
            continue
        src, dst = by_addr.get(r["srcaddr"]), by_addr.get(r["dstaddr"])
        if src is x and dst is not None and dst.role != "nat_gateway":
            key = (dst.id, r["srcaddr"], r["dstaddr"], r["srcport"], r["dstport"],
                   r["protocol"], int(r["start"]) // 60)
            other = seen.get(key)
            assert other is not None, "no ingress counterpart for %s" % (key,)
            assert (other["packets"], other["bytes"]) == (r["packets"], r["bytes"])


def incidents(recs):
    def window(a, b):
        return [r for r in recs if ms(a) <= int(r["start"]) < ms(b)]

    bastion, web_a3, batch_b = E["bastion"], E["web-a3"], E["batch-b"]
    out = []
    v = [r for r in window(20, 25) if r["srcaddr"] == SCANNER and r["_eni"] is bastion]
    assert not [r for r in recs if SCANNER in (r["srcaddr"], r["dstaddr"])
                and not ms(20) <= int(r["start"]) < ms(30)]
    out.append({
        "id": "port-scan-vertical-bastion", "category": "port_scan",
        "detector": "vertical_port_scan", "entity_type": "src_addr", "entity": SCANNER,
        "interface_id": bastion.id, "dst_addr": bastion.ip4,
        "window_start": iso(ms(20)), "window_end": iso(ms(25)),
        "evidence": {"records": len(v),
                     "distinct_dst_ports": len({r["dstport"] for r in v}),
                     "rejected": sum(r["action"] == "REJECT" for r in v),
                     "accepted_port_22_records": sum(r["action"] == "ACCEPT" for r in v)}})
    h = [r for r in window(25, 30) if r["srcaddr"] == SCANNER]
    out.append({
        "id": "port-scan-horizontal-22", "category": "port_scan",
        "detector": "horizontal_port_scan", "entity_type": "src_addr", "entity": SCANNER,
        "dst_port": 22, "window_start": iso(ms(25)), "window_end": iso(ms(30)),
        "evidence": {"records": len(h),
                     "distinct_dst_addrs": len({r["dstaddr"] for r in h}),
                     "distinct_interfaces": len({r["interface-id"] for r in h}),
                     "interfaces": sorted({r["interface-id"] for r in h}),
                     "dst_ports": sorted({int(r["dstport"]) for r in h}),
                     "rejected": sum(r["action"] == "REJECT" for r in h)}})
    rej = [r for r in recs if r["_eni"] is web_a3 and r["action"] == "REJECT"]
    inside = [r for r in rej if ms(40) <= int(r["start"]) < ms(45)]
    assert len(inside) == len(rej)
    out.append({
        "id": "rejected-spike-web-a3", "category": "rejected_traffic_spike",
        "detector": "reject_spike", "entity_type": "interface_id", "entity": web_a3.id,
        "dst_addr": web_a3.ip4, "src_addr": E["web-b2"].ip4,
        "window_start": iso(ms(40)), "window_end": iso(ms(45)),
        "evidence": {"rejected_records": len(inside),
                     "by_port": {p: sum(r["dstport"] == p for r in inside)
                                 for p in sorted({r["dstport"] for r in inside}, key=int)},
                     "rejected_records_rest_of_hour": len(rej) - len(inside)}})
    ex = [r for r in recs if r["dstaddr"] == EXFIL_DST or r.get("pkt-dstaddr") == EXFIL_DST]
    assert all(int(r["start"]) >= ms(50) for r in recs
               if EXFIL_DST in (r["srcaddr"], r["dstaddr"], r.get("pkt-srcaddr"),
                                r.get("pkt-dstaddr")))
    on_src = [r for r in ex if r["_eni"] is batch_b]
    on_nat = [r for r in ex if r["_eni"] is E["nat-b"] and r["flow-direction"] == "egress"]
    out.append({
        "id": "unexpected-egress-batch-b", "category": "unexpected_egress",
        "detector": "new_external_destination", "entity_type": "interface_id",
        "entity": batch_b.id, "src_addr": batch_b.ip4, "dst_addr": EXFIL_DST, "dst_port": 443,
        "nat_interface_id": E["nat-b"].id,
        "window_start": iso(ms(50)), "window_end": iso(ms(55)),
        "evidence": {"flows": len(on_src),
                     "bytes_on_source_interface": sum(int(r["bytes"]) for r in on_src),
                     "bytes_on_nat_egress": sum(int(r["bytes"]) for r in on_nat),
                     "first_seen": iso(min(int(r["start"]) for r in on_src))}})
    out.append(incident_nacl(recs))
    return out


def incident_nacl(recs):
    db = E["db-a"]
    app_b = [E[n] for n in ("web-b1", "web-b2", "web-b3")]
    app_b_ips = {x.ip4 for x in app_b}

    def inwin(r):
        return NACL_ON <= int(r["start"]) < NACL_OFF
    rej = [r for r in recs if r["_eni"] is db and r["action"] == "REJECT"]
    assert rej and all(inwin(r) and r["srcaddr"] in app_b_ips and r["dstport"] == "5432"
                       and r["flow-direction"] == "ingress" for r in rej)
    from_b = [r for r in recs if r["_eni"] is db and r["srcaddr"] in app_b_ips]
    assert all(r["dstport"] == "5432" for r in from_b)
    assert not [r for r in from_b if inwin(r) and r["action"] == "ACCEPT"]
    assert not [r for r in recs if r["_eni"] is db and r["dstaddr"] in app_b_ips and inwin(r)]
    sent = [r for r in recs if r["_eni"] in app_b and r["dstaddr"] == db.ip4 and inwin(r)]
    assert all(r["action"] == "ACCEPT" and r["dstport"] == "5432" for r in sent)
    assert len(sent) == len(rej)
    flags = {}
    for r in rej:
        flags[r["tcp-flags"]] = flags.get(r["tcp-flags"], 0) + 1
    return {
        "id": "rejected-spike-db-a-nacl", "category": "rejected_traffic_spike",
        "detector": "reject_spike", "entity_type": "interface_id", "entity": db.id,
        "dst_addr": db.ip4, "dst_port": NACL_DENY_PORT, "src_cidr": NACL_DENY_CIDR,
        "src_addrs": sorted(app_b_ips),
        "window_start": iso(NACL_ON), "window_end": iso(NACL_OFF),
        "attribution": CAUSE_NACL,
        "cause": {"network_acl_id": ACL_DATA["data-a"], "rule_number": NACL_RULE,
                  "snapshot_added": iso(NACL_ON), "snapshot_removed": iso(NACL_OFF)},
        "evidence": {
            "rejected_records": len(rej),
            "per_5_minutes": [sum((int(r["start"]) - NACL_ON) // 300 == k for r in rej)
                              for k in range(3)],
            "by_src_addr": {a: sum(r["srcaddr"] == a for r in rej) for a in sorted(app_b_ips)},
            "by_tcp_flags": dict(sorted(flags.items(), key=lambda x: int(x[0]))),
            "packets": sum(int(r["packets"]) for r in rej),
            "bytes": sum(int(r["bytes"]) for r in rej),
            "sender_egress_accept_records": len(sent),
            "db_a_records_toward_app_b_in_window": 0,
            "accepted_records_from_app_b_before": sum(
                r["action"] == "ACCEPT" and int(r["start"]) < NACL_ON for r in from_b),
            "accepted_records_from_app_b_after": sum(
                r["action"] == "ACCEPT" and int(r["start"]) >= NACL_OFF for r in from_b),
            "rejected_records_rest_of_hour": 0}}


def reject_facts(recs):
    """Every REJECT record read back, counted by the cause it was generated with."""
    gen = {}
    for r in RECORDS:
        if r.status == "OK" and r.action == "REJECT":
            k = (r.eni.id, r.src, r.dst, str(r.sp), str(r.dp), str(r.proto), str(r.s))
            assert k not in gen
            gen[k] = (r.cause, r.tag)
    rej = []
    for r in recs:
        if r["action"] == "REJECT":
            rej.append((r, *gen.pop((r["interface-id"], r["srcaddr"], r["dstaddr"],
                                     r["srcport"], r["dstport"], r["protocol"], r["start"]))))
    assert not gen

    def count(items):
        out = {}
        for x in items:
            out[x] = out.get(x, 0) + 1
        return dict(sorted(out.items()))
    causes = count(c for _, c, _ in rej)
    n_nacl, n_sg = causes.get(CAUSE_NACL, 0), causes.get(CAUSE_SG, 0)
    other = {c: n for c, n in causes.items() if c not in (CAUSE_NACL, CAUSE_SG)}
    snaps = [t for t, _ in CONFIG_SNAPSHOTS]
    by_snap = {}
    for t, t_next in zip(snaps, snaps[1:] + [T1]):
        by_snap[iso(t)] = count(c for r, c, _ in rej if t <= int(r["start"]) < t_next)
    sg_of = {x.id: SG[x.sg] for x in ENIS if x.sg}
    return {
        "total": len(rej),
        "by_attribution": {CAUSE_NACL: n_nacl, CAUSE_SG: n_sg, "other": sum(other.values())},
        "other_by_reason": other,
        "attributed_to_a_rule": n_nacl + n_sg,
        "attributed_fraction": round((n_nacl + n_sg) / len(rej), 4),
        "by_snapshot_in_force": by_snap,
        "sg_no_matching_rule_by_group": count(sg_of[r["interface-id"]] for r, c, _ in rej
                                              if c == CAUSE_SG),
        "by_source": {tag: count(c for _, c, t in rej if t == tag)
                      for tag in sorted({t for _, _, t in rej})},
        "notes": [
            CAUSE_NACL + ": the inbound deny entry of data-a's NACL, in force 10:35-10:50 "
            "(incident rejected-spike-db-a-nacl)",
            CAUSE_SG + ": the interface's security groups have no inbound rule for the "
            "packet; the subnet's NACL allows it",
            CAUSE_NAT + ": unsolicited inbound from the internet to a NAT gateway interface, "
            "which has no security group and accepts only replies to connections it opened; "
            "no SG or NACL rule explains it (the public subnets' NACL allows all)"],
    }


def config_facts(written, rejects):
    snaps = [t for t, _ in CONFIG_SNAPSHOTS]
    return {
        "folder": "config",
        "convention": "config/<ISO-8601 UTC instant>/<aws ec2 command>.json, one document per "
                      "file recognised by its top-level key; a snapshot holding only some "
                      "documents replaces those kinds and keeps the others from the previous "
                      "snapshot; a flow is evaluated against the snapshot in force at its start",
        "snapshots": [{"time": iso(t), "path": "config/" + iso(t), "files": files,
                       "in_force_for_flows_starting": [iso(max(t, T0)), iso(t_next)]}
                      for (t, files), t_next in zip(CONFIG_SNAPSHOTS, snaps[1:] + [T1])],
        "documents": len(written),
        "network_acls": {"default": IDS["acl_default"], **ACL_DATA},
        "nacl_change": {"network_acl_id": ACL_DATA["data-a"], "network_acl_name":
                        "flowtrail-sample-data-a", "subnet_id": SUBNET["data-a"].id,
                        "rule_number": NACL_RULE, "egress": False, "rule_action": "deny",
                        "protocol": "6", "cidr_block": NACL_DENY_CIDR,
                        "port_range": {"From": NACL_DENY_PORT, "To": NACL_DENY_PORT},
                        "added": iso(NACL_ON), "removed": iso(NACL_OFF),
                        "attribution": CAUSE_NACL},
        "rejects": rejects,
    }


def posture(recs):
    b = E["bastion"]
    ssh = [r for r in recs if r["_eni"] is b and r["action"] == "ACCEPT"
           and r["dstaddr"] == b.ip4 and r["dstport"] == "22" and not in_vpc(r["srcaddr"])]
    srcs = {}
    for r in ssh:
        srcs[r["srcaddr"]] = srcs.get(r["srcaddr"], 0) + 1
    return [{
        "id": "bastion-ssh-open-to-world", "detector": "sg_open_admin_port",
        "entity_type": "group_id", "entity": SG["bastion"],
        "group_name": "flowtrail-sample-bastion", "vpc_id": VPC_ID,
        "rule": {"direction": "ingress", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                 "CidrIp": "0.0.0.0/0",
                 "Description": RANGE_DESCRIPTION[("bastion", "0.0.0.0/0")]},
        "interfaces": [b.id], "public_ips": [b.public_ip],
        "snapshot": iso(SNAP_BASELINE), "in_force": [iso(T0), iso(T1)],
        "evidence": {"accepted_ssh_records_from_the_internet": len(ssh),
                     "by_src_addr": dict(sorted(srcs.items()))}}]


def background_rejects(recs):
    """Rejected records per five minutes that belong to no incident (the normal level)."""
    per = [0] * SLOTS
    srcs = {}
    in_incident = (E["web-a3"], E["db-a"])
    for r in recs:
        if r["action"] != "REJECT" or r["srcaddr"] == SCANNER or r["_eni"] in in_incident:
            continue
        per[(int(r["start"]) - T0) // 300] += 1
        srcs[r["srcaddr"]] = srcs.get(r["srcaddr"], 0) + 1
    return {"per_5_minutes": per, "distinct_sources": len(srcs),
            "max_records_per_source": max(srcs.values()),
            "interfaces": sorted({r["interface-id"] for r in recs if r["action"] == "REJECT"
                                  and r["srcaddr"] != SCANNER and r["_eni"] not in in_incident})}


def topology():
    def eni_json(x):
        return {"id": x.id, "name": x.name, "role": x.role, "subnet": x.subnet.name,
                "subnet_id": x.subnet.id, "availability_zone": x.subnet.az_name,
                "private_ip": x.ip4, "ipv6": x.ip6, "public_ip": x.public_ip,
                "instance_id": None if x.instance_id == "-" else x.instance_id,
                "nat_gateway_id": NAT_GW_ID.get(x.name),
                "security_groups": [SG[x.sg]] if x.sg else [],
                "flow_log_id": {"default": FL_DEFAULT, "v5": FL_V5,
                                "cloudwatch": FL_CWL}[x.log],
                "description": x.description}

    routes = {
        "public": [{"destination": "0.0.0.0/0", "target": IGW_ID},
                   {"destination": "::/0", "target": IGW_ID}],
    }
    subnets = []
    for s in SUBNETS:
        if s.tier == "public":
            r = routes["public"]
        else:
            r = [{"destination": "0.0.0.0/0", "target": NAT_GW_ID["nat-" + s.az]},
                 {"destination": "::/0", "target": EIGW_ID}]
            if s.tier == "data":
                r.append({"destination": S3_PREFIX_LIST, "target": VPCE_S3_ID})
        subnets.append({"name": s.name, "id": s.id, "tier": s.tier, "cidr": str(s.cidr),
                        "ipv6_cidr": str(s.cidr6), "availability_zone": s.az_name,
                        "az_id": s.az_id, "routes": r})
    sg_rules = SG_RULES
    acl_id = hexid("acl-")
    rtb = {name: hexid("rtb-") for name in ("public", "app-a", "app-b", "data-a", "data-b")}
    for sn in subnets:
        sn["route_table_id"] = rtb["public" if sn["tier"] == "public" else sn["name"]]
        sn["network_acl_id"] = ACL_DATA.get(sn["name"], acl_id)
    lb_id = "%016x" % rng.getrandbits(64)
    IDS.update(acl_default=acl_id, rtb=rtb, lb_id=lb_id)
    return {
        "account_id": ACCOUNT, "region": REGION,
        "hour": {"start": iso(T0), "end": iso(T1), "start_epoch": T0, "end_epoch": T1},
        "vpc": {"id": VPC_ID, "cidr": str(VPC_CIDR), "ipv6_cidr": str(VPC_CIDR6)},
        "internet_gateway_id": IGW_ID, "egress_only_internet_gateway_id": EIGW_ID,
        "s3_gateway_endpoint": {"id": VPCE_S3_ID, "prefix_list_id": S3_PREFIX_LIST,
                                "cidrs_used_in_sample": [str(c) for c in S3_CIDRS],
                                "route_tables": ["data-a", "data-b"]},
        "subnets": subnets,
        "network_acls": [
            {"id": acl_id, "name": None, "default": True,
             "subnets": [sn.name for sn in SUBNETS if sn.tier != "data"],
             "entries": "rule 100 allow all traffic in and out, IPv4 and IPv6 "
                        "(rule 101 for ::/0); * deny"}] + [
            {"id": ACL_DATA[n], "name": "flowtrail-sample-" + n, "default": False,
             "subnets": [n],
             "entries": "in: 100 allow all from 10.20.0.0/16, 101 all from 2001:db8:20::/56, "
                        "110/111 tcp 1024-65535 from 0.0.0.0/0 and ::/0 (responses from S3 "
                        "and the internet), 120/121 ICMP fragmentation-needed and ICMPv6 "
                        "packet-too-big; out: 100/101 allow all to the VPC, 110/111 tcp 443 to "
                        "0.0.0.0/0 and ::/0; * deny"} for n in ("data-a", "data-b")],
        "network_acl_changes": [
            {"time": iso(NACL_ON), "network_acl_id": ACL_DATA["data-a"],
             "change": "entry %d added: inbound deny tcp %d from %s" % (
                 NACL_RULE, NACL_DENY_PORT, NACL_DENY_CIDR)},
            {"time": iso(NACL_OFF), "network_acl_id": ACL_DATA["data-a"],
             "change": "entry %d removed" % NACL_RULE}],
        "security_groups": [{"id": SG[n], "name": "flowtrail-sample-" + n,
                             "ingress": sg_rules[n],
                             "egress": [{"protocol": "all", "port": None,
                                         "destinations": ["0.0.0.0/0", "::/0"]}]}
                            for n in SG_NAMES],
        "load_balancer": {"type": "application", "scheme": "internet-facing",
                          "ip_address_type": "dualstack",
                          "arn": "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/"
                                 "flowtrail-sample-web/%s" % (REGION, ACCOUNT, lb_id),
                          "listener": "HTTPS 443", "target_port": 8080,
                          "health_check": "HTTP 8080 every 30 s from each node",
                          "interfaces": [x.id for x in ALBS],
                          "targets": [x.id for x in WEBS]},
        "security_group_notes": "The REJECT records in the sample are explained by these "
                                "ingress rules, except those of incident 4 (data-a's NACL entry "
                                "90, 10:35-10:50) and the unsolicited inbound that the NAT "
                                "gateways drop (they have no security group). config/ holds the "
                                "same network as aws ec2 describe-* output.",
        "config_snapshots": ["config/" + iso(t) for t, _ in CONFIG_SNAPSHOTS],
        "interfaces": [eni_json(x) for x in ENIS],
        "flow_logs": [
            {"id": FL_DEFAULT, "traffic_type": "ALL", "destination": "s3",
             "max_aggregation_interval": 60, "log_format": "default (version 2)",
             "path": "flow-logs/default",
             "interfaces": [x.id for x in ENIS if x.log == "default"]},
            {"id": FL_V5, "traffic_type": "ALL", "destination": "s3",
             "max_aggregation_interval": 60,
             "log_format": " ".join("${%s}" % f for f in V5_FIELDS), "path": "flow-logs/v5",
             "interfaces": [x.id for x in ENIS if x.log == "v5"]},
            {"id": FL_CWL, "traffic_type": "ALL", "destination": "cloud-watch-logs",
             "log_group": CWL_GROUP, "subscription_filter": CWL_FILTER,
             "max_aggregation_interval": 60, "log_format": "default (version 2)",
             "path": "flow-logs/cloudwatch",
             "interfaces": [x.id for x in ENIS if x.log == "cloudwatch"]},
        ],
        "external_addresses": {
            "admin": ADMIN, "scanner": SCANNER, "unexpected_egress_destination": EXFIL_DST,
            "partner_api": PARTNER_API, "aws_api": AWS_API, "package_mirrors": MIRRORS,
            "ipv6_internet": V6_INTERNET,
            "own_public_ips": "192.0.2.10-192.0.2.29 (never appear in flow records)",
        },
    }


# --------------------------------------------------------------------------------------------
# EC2 network configuration snapshots: config/<ISO-8601 UTC instant>/describe-*.json, each file
# exactly what `aws ec2 describe-...` (AWS CLI v2) prints. A snapshot that holds only some
# documents replaces those kinds and keeps the others from the snapshot before it.
# --------------------------------------------------------------------------------------------

OUT_CONFIG = HERE / "config"
SNAP_BASELINE = calendar.timegm((2026, 11, 2, 9, 0, 0))
CONFIG_FILES = {  # file -> top-level key
    "describe-vpcs.json": "Vpcs",
    "describe-subnets.json": "Subnets",
    "describe-route-tables.json": "RouteTables",
    "describe-network-acls.json": "NetworkAcls",
    "describe-security-groups.json": "SecurityGroups",
    "describe-network-interfaces.json": "NetworkInterfaces",
    "describe-vpc-endpoints.json": "VpcEndpoints",
    "describe-prefix-lists.json": "PrefixLists",
}
CONFIG_SNAPSHOTS = [(SNAP_BASELINE, sorted(CONFIG_FILES)),
                    (NACL_ON, ["describe-network-acls.json"]),
                    (NACL_OFF, ["describe-network-acls.json"])]
# pl-63a5400a (com.amazonaws.us-east-1.s3): includes both S3 ranges the backup traffic uses
S3_PL_CIDRS = ["3.5.0.0/19", "16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21",
               "52.95.128.0/21", "52.216.0.0/15", "54.231.0.0/16"]
assert all(str(c) in S3_PL_CIDRS for c in S3_CIDRS)
NAT_REQUESTER_ID = "036872051663"  # the service account AWS shows on NAT gateway interfaces
SG_DESCRIPTION = {
    "alb": "ALB flowtrail-sample-web: HTTPS from the internet",
    "bastion": "SSH bastion",
    "web": "web/app servers: 8080 from the ALB and the health checker, SSH from the bastion",
    "batch": "batch workers: SSH from the bastion",
    "db": "PostgreSQL: 5432 from web, batch, backup and replicas",
    "cache": "Redis: 6379 from web",
    "dns": "internal DNS: 53 from the VPC",
    "backup": "backup instance: no inbound",
    "monitoring": "synthetic health checker: no inbound",
}
RANGE_DESCRIPTION = {
    ("alb", "0.0.0.0/0"): "HTTPS from the internet",
    ("alb", "::/0"): "HTTPS from the internet (IPv6)",
    ("bastion", "0.0.0.0/0"): "SSH for admins (temporary: from anywhere)",
    ("bastion", ADMIN + "/32"): "ping from the admin workstation",
    ("dns", "10.20.0.0/16"): "VPC",
}


def cli_time(t):
    """A timestamp as the CLI prints it."""
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def before_hour(days_lo, days_hi):
    return cli_time(T0 - crng.randint(days_lo * 86400, days_hi * 86400))


def name_tags(name, **more):
    return [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in more.items()]


def nacl_entry(rule, egress, action, proto, cidr, ports=None, icmp=None):
    e = {("Ipv6CidrBlock" if ":" in cidr else "CidrBlock"): cidr, "Egress": egress,
         "Protocol": proto, "RuleAction": action, "RuleNumber": rule}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    if icmp:
        e["IcmpTypeCode"] = {"Code": icmp[1], "Type": icmp[0]}
    return e


def nacl_star(egress):
    """The `*` entries: AWS prints them as 32767 (IPv4) and 32768 (IPv6)."""
    return [nacl_entry(32767, egress, "deny", "-1", "0.0.0.0/0"),
            nacl_entry(32768, egress, "deny", "-1", "::/0")]


def default_nacl_entries():
    out = []
    for egress in (True, False):
        out += [nacl_entry(100, egress, "allow", "-1", "0.0.0.0/0"),
                nacl_entry(101, egress, "allow", "-1", "::/0")] + nacl_star(egress)
    return out


def data_nacl_entries(with_rule_90):
    vpc4, vpc6 = str(VPC_CIDR), str(VPC_CIDR6)
    out = [nacl_entry(100, True, "allow", "-1", vpc4),
           nacl_entry(101, True, "allow", "-1", vpc6),
           nacl_entry(110, True, "allow", "6", "0.0.0.0/0", (443, 443)),
           nacl_entry(111, True, "allow", "6", "::/0", (443, 443))] + nacl_star(True)
    if with_rule_90:
        out.append(nacl_entry(NACL_RULE, False, "deny", "6", NACL_DENY_CIDR,
                              (NACL_DENY_PORT, NACL_DENY_PORT)))
    out += [nacl_entry(100, False, "allow", "-1", vpc4),
            nacl_entry(101, False, "allow", "-1", vpc6),
            nacl_entry(110, False, "allow", "6", "0.0.0.0/0", (1024, 65535)),
            nacl_entry(111, False, "allow", "6", "::/0", (1024, 65535)),
            nacl_entry(120, False, "allow", "1", "0.0.0.0/0", icmp=(3, 4)),
            nacl_entry(121, False, "allow", "58", "::/0", icmp=(2, 0))] + nacl_star(False)
    return out


def ip_permission(group, rule):
    proto, port = rule["protocol"], rule["port"]
    p = {"IpProtocol": proto}
    if proto in ("tcp", "udp"):
        p["FromPort"] = p["ToPort"] = port
    elif proto == "icmp":
        p["FromPort"] = p["ToPort"] = -1  # all ICMP types and codes
    v4 = [x for x in rule["sources"] if "/" in x and ":" not in x]
    v6 = [x for x in rule["sources"] if ":" in x]
    groups = [x for x in rule["sources"] if x.startswith("sg-")]
    assert len(v4) + len(v6) + len(groups) == len(rule["sources"])

    def rng_(key, cidr):
        d = {key: cidr}
        if (group, cidr) in RANGE_DESCRIPTION:
            d["Description"] = RANGE_DESCRIPTION[(group, cidr)]
        return d
    p["IpRanges"] = [rng_("CidrIp", c) for c in v4]
    p["Ipv6Ranges"] = [rng_("CidrIpv6", c) for c in v6]
    p["PrefixListIds"] = []
    p["UserIdGroupPairs"] = [{"GroupId": g, "UserId": ACCOUNT} for g in groups]
    return p


ALL_EGRESS = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
              "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [], "UserIdGroupPairs": []}


def config_snapshots():
    """{snapshot time: {file name: document}}. Ids not in topology.json come from crng, drawn
    in a fixed order."""
    rtb = IDS["rtb"]
    acl_default = IDS["acl_default"]
    lb_id = IDS["lb_id"]
    vpc4, vpc6 = str(VPC_CIDR), str(VPC_CIDR6)

    vpcs = {"Vpcs": [{
        "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
        "CidrBlock": vpc4,
        "CidrBlockAssociationSet": [{"AssociationId": chexid("vpc-cidr-assoc-"),
                                     "CidrBlock": vpc4,
                                     "CidrBlockState": {"State": "associated"}}],
        "DhcpOptionsId": chexid("dopt-"),
        "InstanceTenancy": "default",
        "Ipv6CidrBlockAssociationSet": [{"AssociationId": chexid("vpc-cidr-assoc-"),
                                         "Ipv6CidrBlock": vpc6,
                                         "Ipv6CidrBlockState": {"State": "associated"},
                                         "Ipv6Pool": "Amazon", "NetworkBorderGroup": REGION}],
        "IsDefault": False, "OwnerId": ACCOUNT, "State": "available",
        "Tags": name_tags("flowtrail-sample"), "VpcId": VPC_ID}]}

    subnets = {"Subnets": [{
        "AssignIpv6AddressOnCreation": False,
        "AvailabilityZone": s.az_name, "AvailabilityZoneId": s.az_id,
        "AvailableIpAddressCount": 251 - sum(x.subnet is s for x in ENIS),
        "CidrBlock": str(s.cidr), "DefaultForAz": False, "EnableDns64": False,
        "Ipv6CidrBlockAssociationSet": [{"AssociationId": chexid("subnet-cidr-assoc-"),
                                         "Ipv6CidrBlock": str(s.cidr6),
                                         "Ipv6CidrBlockState": {"State": "associated"}}],
        "Ipv6Native": False, "MapCustomerOwnedIpOnLaunch": False,
        # the web servers and batch workers have auto-assigned public IPv4 addresses
        "MapPublicIpOnLaunch": s.tier != "data",
        "OwnerId": ACCOUNT,
        "PrivateDnsNameOptionsOnLaunch": {"EnableResourceNameDnsAAAARecord": False,
                                          "EnableResourceNameDnsARecord": False,
                                          "HostnameType": "ip-name"},
        "State": "available",
        "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (REGION, ACCOUNT, s.id),
        "SubnetId": s.id, "Tags": name_tags("flowtrail-sample-" + s.name, tier=s.tier),
        "VpcId": VPC_ID} for s in SUBNETS]}

    def route(dst, **target):
        key = ("DestinationPrefixListId" if dst.startswith("pl-") else
               "DestinationIpv6CidrBlock" if ":" in dst else "DestinationCidrBlock")
        return {key: dst, **target,
                "Origin": "CreateRouteTable" if target.get("GatewayId") == "local"
                else "CreateRoute", "State": "active"}

    local = [route(vpc4, GatewayId="local"), route(vpc6, GatewayId="local")]
    tables = []
    main_rtb = chexid("rtb-")
    tables.append({"Associations": [{"AssociationState": {"State": "associated"}, "Main": True,
                                     "RouteTableAssociationId": chexid("rtbassoc-"),
                                     "RouteTableId": main_rtb}],
                   "OwnerId": ACCOUNT, "PropagatingVgws": [], "RouteTableId": main_rtb,
                   "Routes": list(local), "Tags": name_tags("flowtrail-sample-main"),
                   "VpcId": VPC_ID})
    for name in ("public", "app-a", "app-b", "data-a", "data-b"):
        members = [s for s in SUBNETS if (s.tier == "public") == (name == "public")
                   and (name == "public" or s.name == name)]
        if name == "public":
            routes = [route("0.0.0.0/0", GatewayId=IGW_ID), route("::/0", GatewayId=IGW_ID)]
        else:
            routes = [route("0.0.0.0/0", NatGatewayId=NAT_GW_ID["nat-" + members[0].az]),
                      route("::/0", EgressOnlyInternetGatewayId=EIGW_ID)]
            if name.startswith("data"):
                routes.append(route(S3_PREFIX_LIST, GatewayId=VPCE_S3_ID))
        tables.append({
            "Associations": [{"AssociationState": {"State": "associated"}, "Main": False,
                              "RouteTableAssociationId": chexid("rtbassoc-"),
                              "RouteTableId": rtb[name], "SubnetId": s.id} for s in members],
            "OwnerId": ACCOUNT, "PropagatingVgws": [], "RouteTableId": rtb[name],
            "Routes": local + routes, "Tags": name_tags("flowtrail-sample-" + name),
            "VpcId": VPC_ID})
    route_tables = {"RouteTables": tables}

    acl_assoc = {s.name: chexid("aclassoc-") for s in SUBNETS}

    def nacls(with_rule_90):
        def acl(acl_id, subnets, is_default, entries, tags):
            return {"Associations": [{"NetworkAclAssociationId": acl_assoc[s.name],
                                      "NetworkAclId": acl_id, "SubnetId": s.id}
                                     for s in subnets],
                    "Entries": entries, "IsDefault": is_default, "NetworkAclId": acl_id,
                    "OwnerId": ACCOUNT, "Tags": tags, "VpcId": VPC_ID}
        return {"NetworkAcls": [
            acl(acl_default, [s for s in SUBNETS if s.tier != "data"], True,
                default_nacl_entries(), [])] + [
            acl(ACL_DATA[n], [SUBNET[n]], False,
                data_nacl_entries(with_rule_90 and n == "data-a"),
                name_tags("flowtrail-sample-" + n, tier="data"))
            for n in ("data-a", "data-b")]}

    default_sg = chexid("sg-")
    groups = [{
        "Description": "default VPC security group", "GroupId": default_sg,
        "GroupName": "default",
        "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [],
                           "PrefixListIds": [],
                           "UserIdGroupPairs": [{"GroupId": default_sg, "UserId": ACCOUNT}]}],
        "IpPermissionsEgress": [ALL_EGRESS], "OwnerId": ACCOUNT,
        "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (REGION, ACCOUNT,
                                                                      default_sg),
        "VpcId": VPC_ID}]
    for n in SG_NAMES:
        groups.append({
            "Description": SG_DESCRIPTION[n], "GroupId": SG[n],
            "GroupName": "flowtrail-sample-" + n,
            "IpPermissions": [ip_permission(n, r) for r in SG_RULES[n]],
            "IpPermissionsEgress": [ALL_EGRESS], "OwnerId": ACCOUNT,
            "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (REGION, ACCOUNT, SG[n]),
            "Tags": name_tags("flowtrail-sample-" + n), "VpcId": VPC_ID})
    security_groups = {"SecurityGroups": groups}

    def public_dns(ip):
        return "ec2-%s.compute-1.amazonaws.com" % ip.replace(".", "-")

    enis = []
    for x in ENIS:
        mac = "0e:" + ":".join("%02x" % crng.randint(0, 255) for _ in range(5))
        d = {"AvailabilityZone": x.subnet.az_name, "Description": "",
             "Groups": [{"GroupId": SG[x.sg], "GroupName": "flowtrail-sample-" + x.sg}]
             if x.sg else [],
             "InterfaceType": "interface",
             "Ipv6Addresses": [{"Ipv6Address": x.ip6, "IsPrimaryIpv6": False}] if x.ip6 else [],
             "MacAddress": mac, "NetworkInterfaceId": x.id, "OwnerId": ACCOUNT,
             "PrivateDnsName": "ip-%s.ec2.internal" % x.ip4.replace(".", "-"),
             "PrivateIpAddress": x.ip4,
             "RequesterManaged": False, "SourceDestCheck": True, "Status": "in-use",
             "SubnetId": x.subnet.id, "TagSet": [], "VpcId": VPC_ID}
        assoc = None
        if x.role == "nat_gateway":
            d["Description"] = "Interface for NAT Gateway %s" % NAT_GW_ID[x.name]
            d["InterfaceType"] = "nat_gateway"
            d["RequesterId"] = NAT_REQUESTER_ID
            d["RequesterManaged"] = True
            d["SourceDestCheck"] = False
            d["Attachment"] = {"AttachmentId": chexid("ela-attach-"), "DeleteOnTermination": False,
                               "DeviceIndex": 1, "InstanceOwnerId": "amazon-aws",
                               "Status": "attached"}
            assoc = {"AllocationId": chexid("eipalloc-"), "AssociationId": chexid("eipassoc-"),
                     "IpOwnerId": ACCOUNT}
        elif x.role == "alb_node":
            d["Description"] = "ELB app/flowtrail-sample-web/%s" % lb_id
            d["RequesterId"] = "amazon-elb"
            d["RequesterManaged"] = True
            d["Attachment"] = {"AttachTime": before_hour(30, 40),
                               "AttachmentId": chexid("ela-attach-"),
                               "DeleteOnTermination": False, "DeviceIndex": 1,
                               "InstanceOwnerId": "amazon-elb", "Status": "attached"}
            assoc = {"IpOwnerId": "amazon-elb"}
        else:
            d["Attachment"] = {"AttachTime": before_hour(2, 40),
                               "AttachmentId": chexid("eni-attach-"),
                               "DeleteOnTermination": True, "DeviceIndex": 0,
                               "InstanceId": x.instance_id, "InstanceOwnerId": ACCOUNT,
                               "NetworkCardIndex": 0, "Status": "attached"}
            d["TagSet"] = name_tags(x.name)
            if x.public_ip and x.role == "bastion":  # an Elastic IP
                assoc = {"AllocationId": chexid("eipalloc-"),
                         "AssociationId": chexid("eipassoc-"), "IpOwnerId": ACCOUNT}
            elif x.public_ip:  # auto-assigned at launch
                assoc = {"IpOwnerId": "amazon"}
        pia = {"Primary": True, "PrivateDnsName": d["PrivateDnsName"],
               "PrivateIpAddress": x.ip4}
        if assoc:
            assoc.update(PublicDnsName=public_dns(x.public_ip), PublicIp=x.public_ip)
            d["Association"] = assoc
            pia["Association"] = dict(assoc)
        d["PrivateIpAddresses"] = [pia]
        enis.append(d)
    network_interfaces = {"NetworkInterfaces": enis}

    endpoints = {"VpcEndpoints": [{
        "CreationTimestamp": before_hour(40, 50), "DnsEntries": [], "Groups": [],
        "NetworkInterfaceIds": [], "OwnerId": ACCOUNT,
        "PolicyDocument": json.dumps({"Version": "2008-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]},
            separators=(",", ":")),
        "PrivateDnsEnabled": False, "RequesterManaged": False,
        "RouteTableIds": [rtb["data-a"], rtb["data-b"]],
        "ServiceName": "com.amazonaws.%s.s3" % REGION, "State": "available", "SubnetIds": [],
        "Tags": name_tags("flowtrail-sample-s3"), "VpcEndpointId": VPCE_S3_ID,
        "VpcEndpointType": "Gateway", "VpcId": VPC_ID}]}

    prefix_lists = {"PrefixLists": [{"Cidrs": S3_PL_CIDRS, "PrefixListId": S3_PREFIX_LIST,
                                     "PrefixListName": "com.amazonaws.%s.s3" % REGION}]}

    baseline = {"describe-vpcs.json": vpcs, "describe-subnets.json": subnets,
                "describe-route-tables.json": route_tables,
                "describe-network-acls.json": nacls(False),
                "describe-security-groups.json": security_groups,
                "describe-network-interfaces.json": network_interfaces,
                "describe-vpc-endpoints.json": endpoints,
                "describe-prefix-lists.json": prefix_lists}
    docs = {SNAP_BASELINE: baseline,
            NACL_ON: {"describe-network-acls.json": nacls(True)},
            NACL_OFF: {"describe-network-acls.json": nacls(False)}}
    assert [(t, sorted(d)) for t, d in docs.items()] == CONFIG_SNAPSHOTS
    return docs


def write_config(docs):
    if OUT_CONFIG.exists():
        shutil.rmtree(OUT_CONFIG)
    written = []
    for t, files in docs.items():
        folder = OUT_CONFIG / iso(t)
        folder.mkdir(parents=True)
        for name, doc in sorted(files.items()):
            (folder / name).write_text(json.dumps(doc, indent=4, sort_keys=True) + "\n")
            written.append(folder / name)
    for path in written:  # read back: one document per file, recognised by its top-level key
        doc = json.loads(path.read_text())
        assert list(doc) == [CONFIG_FILES[path.name]], path
    return written


def main():
    traffic_clients_to_alb()
    traffic_alb_to_web()
    traffic_app_to_data()
    traffic_dns()
    traffic_egress()
    traffic_backup_s3()
    traffic_admin()
    traffic_monitor()
    traffic_noise()
    incident_port_scan()
    incident_reject_burst()
    incident_egress()
    incident_nacl_db()
    status_records()
    written = build_files()
    files, malformed, recs = read_back(written)
    check_both_sides(recs)
    assert len(malformed) == 3
    totals = {}
    for key in ("lines", "ok", "nodata", "skipdata", "malformed", "accept", "reject", "packets",
                "bytes", "ipv6_records", "late_records"):
        totals[key] = sum(f[key] for f in files)
    per_log = {}
    for log in ("default", "v5", "cloudwatch"):
        fs = [f for f in files if f["format"] == log]
        per_log[log] = {"files": len(fs), **{k: sum(f[k] for f in fs) for k in totals}}
    cw = [f for f in files if f["format"] == "cloudwatch"][0]
    by_if = {}
    for x in ENIS:
        by_if[x.id] = {"name": x.name, "flow_log_id": {"default": FL_DEFAULT, "v5": FL_V5,
                                                       "cloudwatch": FL_CWL}[x.log],
                       "ok": 0, "accept": 0, "reject": 0, "packets": 0, "bytes": 0,
                       "nodata": 0, "skipdata": 0}
    for r in recs:
        b = by_if[r["interface-id"]]
        b["ok"] += 1
        b[r["action"].lower()] += 1
        b["packets"] += int(r["packets"])
        b["bytes"] += int(r["bytes"])
    for path, data, log, flid, k in written:
        if log == "cloudwatch":
            continue
        for ln in b"".join(gzip_members(data)).decode().splitlines()[1:]:
            tok = ln.split(" ")
            if tok[-1] in ("NODATA", "SKIPDATA") or (len(tok) > 20 and tok[20] in (
                    "NODATA", "SKIPDATA")):
                st = tok[-1] if log == "default" else tok[20]
                by_if[tok[2] if log == "default" else tok[5]][st.lower()] += 1
    by_proto = {}
    for r in recs:
        by_proto[r["protocol"]] = by_proto.get(r["protocol"], 0) + 1
    s3 = [r for r in recs if r["_eni"] is E["backup"] and r["flow-direction"] == "egress"
          and r["traffic-path"] == "7"]
    topo = topology()  # draws the default NACL, route table and ALB ids
    config_written = write_config(config_snapshots())
    rejects = reject_facts(recs)
    assert rejects["total"] == totals["reject"]
    expected = {
        "account_id": ACCOUNT, "region": REGION, "seed": SEED,
        "hour": {"start": iso(T0), "end": iso(T1), "start_epoch": T0, "end_epoch": T1},
        "notes": ["lines exclude the header line; line numbers count the header as line 1",
                  "lines = ok + nodata + skipdata + malformed",
                  "packets/bytes sum OK records only",
                  "late_records: records whose start is before the object's five minutes "
                  "(delivered one object late)",
                  "window_end is exclusive",
                  "config: a flow is evaluated against the snapshot in force at its start; a "
                  "snapshot holding only some documents replaces those kinds and keeps the "
                  "others",
                  "config.rejects: every REJECT record counted by the cause it was generated "
                  "with (not by evaluating the configuration)"],
        "totals": totals,
        "by_flow_log": per_log,
        "cloudwatch": {"control_messages": cw["control_messages"],
                       "data_messages": cw["data_messages"], "log_events": cw["log_events"]},
        "ok_records_by_protocol": dict(sorted(by_proto.items(), key=lambda x: int(x[0]))),
        "s3_uploads": {"interface_id": E["backup"].id, "records": len(s3),
                       "distinct_dst_addrs": len({r["dstaddr"] for r in s3}),
                       "bytes": sum(int(r["bytes"]) for r in s3)},
        "files": files,
        "malformed": malformed,
        "by_interface": by_if,
        "background_rejects": background_rejects(recs),
        "incidents": incidents(recs),
        "config": config_facts(config_written, rejects),
        "posture": posture(recs),
    }
    (HERE / "topology.json").write_text(json.dumps(topo, indent=2) + "\n")
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    (HERE / "cloudtrail").mkdir(exist_ok=True)
    (HERE / "cloudtrail" / ".gitkeep").touch()
    print("wrote %d files, %d lines (%d OK, %d NODATA, %d SKIPDATA, %d malformed); "
          "%d config snapshots (%d documents)" % (
              len(files), totals["lines"], totals["ok"], totals["nodata"], totals["skipdata"],
              totals["malformed"], len(CONFIG_SNAPSHOTS), len(config_written)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
