#!/usr/bin/env python3
"""Writes the sample hour's CloudTrail: S3 trail log files, one digest file, expected_cloudtrail.json.

Python 3, standard library only. Seeded (random.Random(20261128)); gzip members are written with
mtime 0 and no file name, so running it again produces byte-identical files.

It reads topology.json (instance ids, private and NAT addresses) and the baseline network ACLs in
config/2026-11-02T09:00:00Z/describe-network-acls.json (the data-a subnet's NACL, which the two
EC2 network changes edit). It replaces cloudtrail/ and expected_cloudtrail.json, and touches
nothing else. Before writing expected_cloudtrail.json it reads every file back and checks its own
numbers; it stops with an assertion error if any check fails.

See the "CloudTrail" section of README.md for what is in the hour.
"""

import gzip
import hashlib
import io
import json
import os
import random
import shutil
import string
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cloudtrail")
EXPECTED = os.path.join(HERE, "expected_cloudtrail.json")
NACL_FILE = os.path.join(HERE, "config", "2026-11-02T09:00:00Z", "describe-network-acls.json")

SEED = 20261128
ACCOUNT = "111122223333"
REGION = "us-east-1"
TRAIL = "flowtrail-sample-trail"
BUCKET = "flowtrail-sample-cloudtrail"
HOUR_START = datetime(2026, 11, 2, 10, 0, 0, tzinfo=timezone.utc)
HOUR_END = HOUR_START + timedelta(hours=1)
WINDOW = timedelta(minutes=5)
LATE_FRACTION = 0.02

# The interface VPC endpoint for KMS in the data subnets that the backup instance uses. The
# config snapshots do not describe it (they only have the S3 gateway endpoint).
KMS_ENDPOINT_ID = "vpce-0b6f4c1d2e3a49587"

rng = random.Random(SEED)

with open(os.path.join(HERE, "topology.json")) as f:
    TOPOLOGY = json.load(f)
assert TOPOLOGY["account_id"] == ACCOUNT and TOPOLOGY["region"] == REGION
IFACES = {i["name"]: i for i in TOPOLOGY["interfaces"]}
SUBNETS = {s["name"]: s for s in TOPOLOGY["subnets"]}
ADMIN_ADDR = TOPOLOGY["external_addresses"]["admin"]


def nat_public_ip(iface):
    """Private-subnet instances reach the KMS and STS public endpoints through their AZ's NAT."""
    route = next(r for r in SUBNETS[iface["subnet"]]["routes"] if r["destination"] == "0.0.0.0/0")
    nat = next(i for i in TOPOLOGY["interfaces"] if i.get("nat_gateway_id") == route["target"])
    return nat["public_ip"]


def data_a_nacl_id():
    with open(NACL_FILE) as f:
        acls = json.load(f)["NetworkAcls"]
    subnet = SUBNETS["data-a"]["id"]
    ids = [a["NetworkAclId"] for a in acls if any(x["SubnetId"] == subnet for x in a["Associations"])]
    assert len(ids) == 1, ids
    return ids[0]


DATA_A_NACL = data_a_nacl_id()
WEB = [IFACES[n] for n in ("web-a1", "web-a2", "web-a3", "web-b1", "web-b2", "web-b3")]
BATCH_A = IFACES["batch-a"]
BATCH_B = IFACES["batch-b"]
BACKUP = IFACES["backup"]
MONITOR = IFACES["monitor"]


def kms_arn(key_id):
    return "arn:aws:kms:%s:%s:key/%s" % (REGION, ACCOUNT, key_id)


KEYS = {
    # alias: key id
    "flowtrail-app-data": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
    "flowtrail-s3-data": "2b7d9e4f-1a3c-4b5d-9e6f-7a8b9c0d1e2f",
    "flowtrail-backup": "8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b",
    "flowtrail-reports-legacy": "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f",
    "flowtrail-logs": "a9b8c7d6-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    "flowtrail-secrets": "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a",
    "flowtrail-payments": "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b",
    "flowtrail-ebs": "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f",
}
KEY_ARN = {alias: kms_arn(key_id) for alias, key_id in KEYS.items()}

ROLE_IDS = {
    "flowtrail-sample-web": "AROAQX3VBWEB7EXAMPLE",
    "flowtrail-sample-batch": "AROAQX3VBBATCHEXAMPL",
    "flowtrail-sample-backup": "AROAQX3VBBACKUPEXAMP",
    "flowtrail-sample-monitoring": "AROAQX3VBMONITOREXAM",
    "flowtrail-network-admin": "AROAQX3VBNETADMINEXA",
}
ADMIN_USER = "flowtrail-admin"
DEV_USER = "dev-rkumar"
DEV_ADDR = "203.0.113.99"
NETWORK_ADMIN_SESSION = "dana.ops"


def role_arn(role):
    return "arn:aws:iam::%s:role/%s" % (ACCOUNT, role)


def user_arn(user):
    return "arn:aws:iam::%s:user/%s" % (ACCOUNT, user)


def uuid():
    return "%08x-%04x-4%03x-%x%03x-%012x" % (
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(12),
        8 + rng.getrandbits(2),
        rng.getrandbits(12),
        rng.getrandbits(48),
    )


ACCESS_KEYS = {}


def access_key(prefix, holder=None):
    """A new access key id; the same one for the same holder (a role session, a user)."""
    if holder is not None and holder in ACCESS_KEYS:
        return ACCESS_KEYS[holder]
    key = prefix + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
    if holder is not None:
        ACCESS_KEYS[holder] = key
    return key


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------------ identities


def assumed_role(role, session, ec2_role_delivery=False, invoked_by=None):
    ident = {
        "type": "AssumedRole",
        "principalId": "%s:%s" % (ROLE_IDS[role], session),
        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, session),
        "accountId": ACCOUNT,
        "accessKeyId": access_key("ASIA", (role, session)),
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": ROLE_IDS[role],
                "arn": role_arn(role),
                "accountId": ACCOUNT,
                "userName": role,
            },
            "attributes": {"creationDate": "2026-11-02T09:41:07Z", "mfaAuthenticated": "false"},
        },
    }
    if ec2_role_delivery:
        ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
    if invoked_by:
        ident["invokedBy"] = invoked_by
    return ident


def iam_user(user, user_id):
    return {
        "type": "IAMUser",
        "principalId": user_id,
        "arn": user_arn(user),
        "accountId": ACCOUNT,
        "accessKeyId": access_key("AKIA", user),
        "userName": user,
    }


ADMIN_ID = "AIDAQX3VBADMINEXAMPL"
DEV_ID = "AIDAQX3VBDEVRKEXAMPL"

SDK_JAVA = "aws-sdk-java/2.25.60 Linux/6.1.112-124.190.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS Java/17.0.12 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/standard"
SDK_GO = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/kms#1.35.3"
CLI = "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.102 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#kms.schedule-key-deletion"
BOTO3 = "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.15.0-1064-aws md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144"
TLS = {
    "tlsVersion": "TLSv1.3",
    "cipherSuite": "TLS_AES_128_GCM_SHA256",
    "clientProvidedHostHeader": "kms.us-east-1.amazonaws.com",
}

# ------------------------------------------------------------------------------ records


def record(t, source, name, ident, source_ip, user_agent, request, response=None, **extra):
    """A CloudTrail record with the fields in the order CloudTrail writes them."""
    r = {
        "eventVersion": "1.11",
        "userIdentity": ident,
        "eventTime": iso(t),
        "eventSource": source,
        "eventName": name,
        "awsRegion": REGION,
        "sourceIPAddress": source_ip,
        "userAgent": user_agent,
    }
    if "errorCode" in extra:
        r["errorCode"] = extra.pop("errorCode")
        r["errorMessage"] = extra.pop("errorMessage")
    r["requestParameters"] = request
    r["responseElements"] = response
    r["requestID"] = uuid()
    r["eventID"] = uuid()
    r["readOnly"] = extra.pop("readOnly")
    if "resources" in extra:
        r["resources"] = extra.pop("resources")
    r["eventType"] = extra.pop("eventType", "AwsApiCall")
    r["managementEvent"] = extra.pop("managementEvent", True)
    r["recipientAccountId"] = ACCOUNT
    if "vpcEndpointId" in extra:
        r["vpcEndpointId"] = extra.pop("vpcEndpointId")
        r["vpcEndpointAccountId"] = ACCOUNT
    if "serviceEventDetails" in extra:
        r["serviceEventDetails"] = extra.pop("serviceEventDetails")
    r["eventCategory"] = extra.pop("eventCategory", "Management")
    if extra.pop("tls", False):
        r["tlsDetails"] = dict(TLS)
    assert not extra, extra
    return r


def key_resource(alias):
    return [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": KEY_ARN[alias]}]


def kms_call(t, name, ident, source_ip, user_agent, alias, request, **extra):
    tls = extra.pop("tls", not ident.get("invokedBy") and ident.get("type") != "AWSService")
    return record(
        t,
        "kms.amazonaws.com",
        name,
        ident,
        source_ip,
        user_agent,
        request,
        None,
        readOnly=extra.pop("readOnly", True),
        resources=key_resource(alias),
        tls=tls,
        **extra,
    )


RECORDS = []  # (record, label) ; label names the incident or the ordinary activity


def add(r, label):
    RECORDS.append((r, label))


def at(minute, second=0.0):
    return HOUR_START + timedelta(seconds=minute * 60 + second)


def spread(start, end, n):
    """n times, uniformly at random in [start, end), to the second, sorted."""
    span = int((end - start).total_seconds())
    return sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(n))


TENANTS = ["t-%04d" % i for i in range(1, 61)]

# ---- ordinary activity, all hour --------------------------------------------------------------

for w in range(12):
    ws = HOUR_START + w * WINDOW
    we = ws + WINDOW
    # The web/app servers' instance role: envelope encryption of session and order records with
    # the app data key, through their AZ's NAT gateway.
    for t in spread(ws, we, rng.randint(24, 34)):
        web = rng.choice(WEB)
        name = "GenerateDataKey" if rng.random() < 0.45 else "Decrypt"
        request = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"} if name == "Decrypt" else {}
        request["encryptionContext"] = {"app": "flowtrail-web", "tenant": rng.choice(TENANTS)}
        if name == "GenerateDataKey":
            request["keySpec"] = "AES_256"
            request["keyId"] = "alias/flowtrail-app-data"
        add(
            kms_call(
                t,
                name,
                assumed_role("flowtrail-sample-web", web["instance_id"], ec2_role_delivery=True),
                nat_public_ip(web),
                SDK_JAVA,
                "flowtrail-app-data",
                request,
            ),
            "web_app_key",
        )
    # S3 decrypting objects encrypted with SSE-KMS (bucket key) on the web role's behalf.
    for t in spread(ws, we, rng.randint(9, 14)):
        web = rng.choice(WEB)
        add(
            kms_call(
                t,
                "Decrypt",
                assumed_role("flowtrail-sample-web", web["instance_id"], invoked_by="s3.amazonaws.com"),
                "s3.amazonaws.com",
                "s3.amazonaws.com",
                "flowtrail-s3-data",
                {
                    "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                    "encryptionContext": {"aws:s3:arn": "arn:aws:s3:::flowtrail-sample-app-data"},
                },
            ),
            "s3_for_web_role",
        )
    # S3's own service principal refreshing the bucket key.
    if w % 3 == 1:
        add(
            kms_call(
                ws + timedelta(seconds=rng.randrange(300)),
                "GenerateDataKey",
                {"type": "AWSService", "invokedBy": "s3.amazonaws.com"},
                "s3.amazonaws.com",
                "s3.amazonaws.com",
                "flowtrail-s3-data",
                {
                    "keyId": KEY_ARN["flowtrail-s3-data"],
                    "keySpec": "AES_256",
                    "encryptionContext": {"aws:s3:arn": "arn:aws:s3:::flowtrail-sample-app-data"},
                },
            ),
            "s3_service_principal",
        )
    # The backup instance encrypts each upload with a data key of the backup key, through the
    # KMS interface endpoint in its subnet: its private address is the source.
    for minute in range(5):
        m0 = ws + timedelta(minutes=minute)
        for t in spread(m0, m0 + timedelta(minutes=1), rng.randint(2, 4)):
            add(
                kms_call(
                    t,
                    "GenerateDataKey",
                    assumed_role("flowtrail-sample-backup", BACKUP["instance_id"], ec2_role_delivery=True),
                    BACKUP["private_ip"],
                    SDK_GO,
                    "flowtrail-backup",
                    {
                        "keyId": "alias/flowtrail-backup",
                        "keySpec": "AES_256",
                        "encryptionContext": {"purpose": "pg_dump", "db": "db-a"},
                    },
                    vpcEndpointId=KMS_ENDPOINT_ID,
                ),
                "backup_via_endpoint",
            )
    # The batch workers' baseline: a couple of decrypts each per five minutes (not in the burst).
    for iface, n in ((BATCH_A, rng.randint(1, 2)), (BATCH_B, 2)):
        if iface is BATCH_B and w == 9:
            continue  # 10:45-10:50 is the burst, below
        for t in spread(ws, we, n):
            add(
                kms_call(
                    t,
                    "Decrypt",
                    assumed_role("flowtrail-sample-batch", iface["instance_id"], ec2_role_delivery=True),
                    nat_public_ip(iface),
                    SDK_JAVA,
                    "flowtrail-app-data",
                    {
                        "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                        "encryptionContext": {"app": "flowtrail-batch", "tenant": rng.choice(TENANTS)},
                    },
                ),
                "batch_baseline",
            )
    # Events of other services, skipped by the reader: instance-profile credential refreshes
    # (STS AssumeRole by EC2), the monitor's EC2 describes and CloudWatch metrics.
    for t in spread(ws, we, 2):
        iface = rng.choice(WEB + [BATCH_A, BATCH_B, BACKUP])
        role = {
            "web": "flowtrail-sample-web",
            "batch": "flowtrail-sample-batch",
            "backup": "flowtrail-sample-backup",
        }[iface["role"]]
        add(
            record(
                t,
                "sts.amazonaws.com",
                "AssumeRole",
                {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"},
                "ec2.amazonaws.com",
                "ec2.amazonaws.com",
                {"roleArn": role_arn(role), "roleSessionName": iface["instance_id"]},
                {
                    "credentials": {
                        "accessKeyId": access_key("ASIA"),
                        "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
                        "expiration": "Nov 2, 2026, 4:41:07 PM",
                    }
                },
                readOnly=True,
                resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn(role)}],
            ),
            "other",
        )
    monitor = assumed_role("flowtrail-sample-monitoring", MONITOR["instance_id"], ec2_role_delivery=True)
    add(
        record(
            ws + timedelta(seconds=rng.randrange(300)),
            "ec2.amazonaws.com",
            "DescribeInstances",
            monitor,
            nat_public_ip(MONITOR),
            BOTO3,
            {"instancesSet": {}, "filterSet": {}},
            readOnly=True,
            tls=True,
        ),
        "other",
    )
    add(
        record(
            ws + timedelta(seconds=rng.randrange(300)),
            "monitoring.amazonaws.com",
            "PutMetricData",
            monitor,
            nat_public_ip(MONITOR),
            BOTO3,
            {"namespace": "Flowtrail/Sample"},
            readOnly=False,
            tls=True,
        ),
        "other",
    )

# Automatic rotation of the S3 data key (a service event without a userIdentity type).
add(
    record(
        at(27, 31),
        "kms.amazonaws.com",
        "RotateKey",
        {"accountId": ACCOUNT, "invokedBy": "AWS Internal"},
        "AWS Internal",
        "AWS Internal",
        None,
        readOnly=False,
        resources=key_resource("flowtrail-s3-data"),
        eventType="AwsServiceEvent",
        serviceEventDetails={"keyId": KEYS["flowtrail-s3-data"]},
    ),
    "rotation",
)

# batch-b reads the legacy reports key while it uses db-b2 (10:05-10:14).
for t in spread(at(5), at(10), 3):
    add(
        kms_call(
            t,
            "Decrypt",
            assumed_role("flowtrail-sample-batch", BATCH_B["instance_id"], ec2_role_delivery=True),
            nat_public_ip(BATCH_B),
            SDK_JAVA,
            "flowtrail-reports-legacy",
            {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"report": "weekly-revenue"}},
        ),
        "reports_key_use",
    )

# ---- incident (a): the legacy reports key scheduled for deletion ------------------------------

admin = iam_user(ADMIN_USER, ADMIN_ID)
add(
    kms_call(at(11, 20), "DescribeKey", admin, ADMIN_ADDR, CLI, "flowtrail-reports-legacy",
             {"keyId": "alias/flowtrail-reports-legacy"}),
    "key_deletion",
)
add(
    record(at(11, 44), "kms.amazonaws.com", "ListAliases", admin, ADMIN_ADDR, CLI, None,
           readOnly=True, tls=True),
    "key_deletion",
)
DELETION_TIME = at(12, 7)
add(
    record(
        DELETION_TIME,
        "kms.amazonaws.com",
        "ScheduleKeyDeletion",
        admin,
        ADMIN_ADDR,
        CLI,
        {"keyId": KEYS["flowtrail-reports-legacy"], "pendingWindowInDays": 7},
        {
            "keyId": KEY_ARN["flowtrail-reports-legacy"],
            "keyState": "PendingDeletion",
            "deletionDate": "Nov 9, 2026, 10:12:07 AM",
            "pendingWindowInDays": 7,
        },
        readOnly=False,
        resources=key_resource("flowtrail-reports-legacy"),
        tls=True,
    ),
    "key_deletion",
)
# batch-b, back on db-b2 at 10:35, still uses the key: refused, it is pending deletion.
LATER_USE_TIME = at(38, 12)
add(
    kms_call(
        LATER_USE_TIME,
        "Decrypt",
        assumed_role("flowtrail-sample-batch", BATCH_B["instance_id"], ec2_role_delivery=True),
        nat_public_ip(BATCH_B),
        SDK_JAVA,
        "flowtrail-reports-legacy",
        {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"report": "weekly-revenue"}},
        errorCode="KMSInvalidStateException",
        errorMessage="%s is pending deletion." % KEY_ARN["flowtrail-reports-legacy"],
    ),
    "key_deletion_later_use",
)

# ---- incident (c): a developer's leaked credentials probe the keys ----------------------------

dev = iam_user(DEV_USER, DEV_ID)
add(
    record(at(29, 48), "sts.amazonaws.com", "GetCallerIdentity", dev, DEV_ADDR, BOTO3, None,
           readOnly=True, tls=True),
    "other",
)
add(
    record(at(29, 57), "kms.amazonaws.com", "ListKeys", dev, DEV_ADDR, BOTO3, {"limit": 100},
           readOnly=True, tls=True),
    "access_denied_burst",
)
DENIED_KEYS = sorted(KEYS)
assert len(DENIED_KEYS) == 8
attempts = [(alias, name) for alias in DENIED_KEYS for name in ("DescribeKey", "Decrypt", "Decrypt", "DescribeKey", "Decrypt")]
rng.shuffle(attempts)
denied_times = spread(at(30), at(35), len(attempts))
for t, (alias, name) in zip(denied_times, attempts):
    request = {"keyId": KEY_ARN[alias]}
    if name == "Decrypt":
        request = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": KEY_ARN[alias]}
    add(
        kms_call(
            t,
            name,
            dev,
            DEV_ADDR,
            BOTO3,
            alias,
            request,
            errorCode="AccessDenied",
            errorMessage=(
                "User: %s is not authorized to perform: kms:%s on resource: %s because no "
                "identity-based policy allows the kms:%s action" % (user_arn(DEV_USER), name, KEY_ARN[alias], name)
            ),
        ),
        "access_denied_burst",
    )

# ---- incident (b): batch-b decrypts the app data of every tenant, then sends 3 GB out ---------

BURST = 400
for i, t in enumerate(spread(at(45), at(50), BURST)):
    add(
        kms_call(
            t,
            "Decrypt",
            assumed_role("flowtrail-sample-batch", BATCH_B["instance_id"], ec2_role_delivery=True),
            nat_public_ip(BATCH_B),
            SDK_JAVA,
            "flowtrail-app-data",
            {
                "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                "encryptionContext": {"app": "flowtrail-web", "tenant": TENANTS[i % len(TENANTS)]},
            },
        ),
        "decrypt_burst",
    )

# ---- the network ACL entry that causes flow incident 4, and its removal -----------------------

netadmin = assumed_role("flowtrail-network-admin", NETWORK_ADMIN_SESSION)
netadmin["sessionContext"]["attributes"]["mfaAuthenticated"] = "true"
add(
    record(at(34, 5), "ec2.amazonaws.com", "DescribeNetworkAcls", netadmin, ADMIN_ADDR, CLI,
           {"networkAclIdSet": {"items": [{"networkAclId": DATA_A_NACL}]}, "filterSet": {}},
           readOnly=True, tls=True),
    "other",
)
NACL_ADD_TIME = at(34, 40)
NACL_REMOVE_TIME = at(49, 50)
add(
    record(
        NACL_ADD_TIME,
        "ec2.amazonaws.com",
        "CreateNetworkAclEntry",
        netadmin,
        ADMIN_ADDR,
        CLI.replace("kms.schedule-key-deletion", "ec2.create-network-acl-entry"),
        {
            "networkAclId": DATA_A_NACL,
            "ruleNumber": 90,
            "egress": False,
            "ruleAction": "deny",
            "icmpTypeCode": {},
            "portRange": {"from": 5432, "to": 5432},
            "aclProtocol": "6",
            "cidrBlock": SUBNETS["app-b"]["cidr"],
        },
        {"requestId": uuid(), "_return": True},
        readOnly=False,
        tls=True,
    ),
    "nacl_change",
)
add(
    record(
        NACL_REMOVE_TIME,
        "ec2.amazonaws.com",
        "DeleteNetworkAclEntry",
        netadmin,
        ADMIN_ADDR,
        CLI.replace("kms.schedule-key-deletion", "ec2.delete-network-acl-entry"),
        {"networkAclId": DATA_A_NACL, "ruleNumber": 90, "egress": False},
        {"requestId": uuid(), "_return": True},
        readOnly=False,
        tls=True,
    ),
    "nacl_change",
)

# ------------------------------------------------------------------------------ files


def file_slot(t):
    """Index of the five-minute file that delivers an event of time t (0 = 1005Z)."""
    return int((t - HOUR_START).total_seconds() // 300)


def alnum(n):
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as f:
        f.write(data)
    return buf.getvalue()


slots = defaultdict(list)
late = Counter()
for r, label in RECORDS:
    t = datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    slot = file_slot(t)
    # About 2% arrive one file late (never out of the hour); the incidents' records too.
    if slot < 11 and rng.random() < LATE_FRACTION:
        slot += 1
        late[slot] += 1
    slots[slot].append((t, rng.random(), r, label))

if os.path.isdir(OUT):
    shutil.rmtree(OUT)
log_dir = os.path.join(OUT, "AWSLogs", ACCOUNT, "CloudTrail", REGION, "2026", "11", "02")
digest_dir = os.path.join(OUT, "AWSLogs", ACCOUNT, "CloudTrail-Digest", REGION, "2026", "11", "02")
os.makedirs(log_dir)
os.makedirs(digest_dir)

files = []
for slot in range(12):
    delivered = HOUR_START + (slot + 1) * WINDOW
    # Records in a file are roughly in time order, not exactly (CloudTrail does not sort them).
    entries = sorted(slots[slot], key=lambda e: e[0] + timedelta(seconds=40 * e[1]))
    doc = {"Records": [e[2] for e in entries]}
    data = json.dumps(doc, separators=(",", ":")).encode("utf-8")
    name = "%s_CloudTrail_%s_%sZ_%s.json.gz" % (ACCOUNT, REGION, delivered.strftime("%Y%m%dT%H%M"), alnum(16))
    path = os.path.join(log_dir, name)
    with open(path, "wb") as f:
        f.write(gz(data))
    files.append(
        {
            "path": os.path.relpath(path, HERE),
            "delivered": iso(delivered),
            "records": len(entries),
            "late_records": late[slot],
            "sha256_uncompressed": hashlib.sha256(data).hexdigest(),
            "oldest": min(e[2]["eventTime"] for e in entries),
            "newest": max(e[2]["eventTime"] for e in entries),
        }
    )

# One digest file for the hour (the signature would be in S3 object metadata; these are made up).
digest_time = HOUR_END
digest_name = "%s_CloudTrail-Digest_%s_%s_%s_%sZ.json.gz" % (
    ACCOUNT, REGION, TRAIL, REGION, digest_time.strftime("%Y%m%dT%H%M%S"))
digest_key = "AWSLogs/%s/CloudTrail-Digest/%s/2026/11/02/%s" % (ACCOUNT, REGION, digest_name)
digest = {
    "awsAccountId": ACCOUNT,
    "digestStartTime": iso(HOUR_START),
    "digestEndTime": iso(HOUR_END),
    "digestS3Bucket": BUCKET,
    "digestS3Object": digest_key,
    "digestPublicKeyFingerprint": "%032x" % rng.getrandbits(128),
    "digestSignatureAlgorithm": "SHA256withRSA",
    "newestEventTime": max(f["newest"] for f in files),
    "oldestEventTime": min(f["oldest"] for f in files),
    "previousDigestS3Bucket": BUCKET,
    "previousDigestS3Object": "AWSLogs/%s/CloudTrail-Digest/%s/2026/11/02/%s_CloudTrail-Digest_%s_%s_%s_20261102T100000Z.json.gz"
    % (ACCOUNT, REGION, ACCOUNT, REGION, TRAIL, REGION),
    "previousDigestHashValue": "%064x" % rng.getrandbits(256),
    "previousDigestHashAlgorithm": "SHA-256",
    "previousDigestSignature": "%0512x" % rng.getrandbits(2048),
    "logFiles": [
        {
            "s3Bucket": BUCKET,
            "s3Object": f["path"].split("cloudtrail/", 1)[1],
            "hashValue": f["sha256_uncompressed"],
            "hashAlgorithm": "SHA-256",
            "newestEventTime": f["newest"],
            "oldestEventTime": f["oldest"],
        }
        for f in files
    ],
}
digest_path = os.path.join(digest_dir, digest_name)
with open(digest_path, "wb") as f:
    f.write(gz(json.dumps(digest, separators=(",", ":")).encode("utf-8")))

# ------------------------------------------------------------------------------ read back, count

NETWORK_CHANGE_NAMES = {"CreateNetworkAclEntry", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
                        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                        "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"}


def principal_of(ident):
    """As the reader resolves it: the role of a session, the service of AWSService, else the ARN."""
    if ident.get("type") == "AssumedRole":
        return ident["sessionContext"]["sessionIssuer"]["arn"]
    if ident.get("type") == "AWSService" or "type" not in ident:
        return ident.get("invokedBy")
    return ident["arn"]


def window_of(t):
    start = HOUR_START + ((t - HOUR_START) // WINDOW) * WINDOW
    return iso(start)


read_back = []
for f in files:
    with gzip.open(os.path.join(HERE, f["path"])) as g:
        raw = g.read()
    assert hashlib.sha256(raw).hexdigest() == f["sha256_uncompressed"]
    doc = json.loads(raw)
    assert list(doc) == ["Records"] and len(doc["Records"]) == f["records"]
    delivered = datetime.strptime(f["delivered"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    for r in doc["Records"]:
        t = datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        # Delivered after it happened, at most one file late, inside the hour.
        assert HOUR_START <= t < HOUR_END and delivered - 2 * WINDOW <= t < delivered, (f, r["eventTime"])
        for k in ("eventTime", "eventSource", "eventName", "eventID", "userIdentity", "awsRegion"):
            assert k in r
        read_back.append((t, r))
with gzip.open(digest_path) as g:
    d = json.loads(g.read())
assert len(d["logFiles"]) == 12 and "digestPublicKeyFingerprint" in d

assert len(read_back) == len(RECORDS)
assert len({r["eventID"] for _, r in read_back}) == len(read_back), "eventIDs are unique"

kms_records = [(t, r) for t, r in read_back if r["eventSource"] == "kms.amazonaws.com"]
network = [(t, r) for t, r in read_back
           if r["eventSource"] == "ec2.amazonaws.com" and r["eventName"] in NETWORK_CHANGE_NAMES]
other = len(read_back) - len(kms_records) - len(network)

pair_windows = defaultdict(lambda: defaultdict(lambda: [0, 0]))
for t, r in kms_records:
    keys = [x["ARN"] for x in r.get("resources", []) if x.get("type") == "AWS::KMS::Key"]
    key = keys[0] if keys else None
    counts = pair_windows[(key, principal_of(r["userIdentity"]))][window_of(t)]
    counts[0] += 1
    counts[1] += 1 if "errorCode" in r else 0
pairs = sorted(pair_windows.items(), key=lambda kv: (-sum(c[0] for c in kv[1].values()), str(kv[0])))
WINDOWS = [iso(HOUR_START + i * WINDOW) for i in range(12)]


def pair_entry(key, principal, per_window):
    return {
        "key_arn": key,
        "principal_arn": principal,
        "calls": sum(c[0] for c in per_window.values()),
        "errors": sum(c[1] for c in per_window.values()),
        "calls_per_window": [per_window[w][0] if w in per_window else 0 for w in WINDOWS],
        "errors_per_window": [per_window[w][1] if w in per_window else 0 for w in WINDOWS],
    }


busiest = [pair_entry(k, p, pw) for (k, p), pw in pairs[:8]]


def labelled(label):
    return [r for r, lab in RECORDS if lab == label]


burst = labelled("decrypt_burst")
denied = labelled("access_denied_burst")
batch_role = role_arn("flowtrail-sample-batch")
app_key = KEY_ARN["flowtrail-app-data"]
batch_b_app_key = Counter(
    window_of(t) for t, r in kms_records
    if r["userIdentity"].get("arn", "").endswith("/" + BATCH_B["instance_id"])
    and r.get("resources", [{}])[0].get("ARN") == app_key and r["eventName"] == "Decrypt"
)
assert batch_b_app_key[iso(at(45))] == BURST
assert all(batch_b_app_key[w] == 2 for w in WINDOWS if w != iso(at(45)))
denied_errors = [r for r in denied if r.get("errorCode") == "AccessDenied"]
assert len(denied_errors) == 40 and len({r["resources"][0]["ARN"] for r in denied_errors}) == 8
assert all(at(30) <= datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) < at(35)
           for r in denied_errors)
assert sum(1 for _, r in kms_records if r.get("errorCode") == "AccessDenied") == 40

by_name = Counter(r["eventName"] for _, r in kms_records)
errors = Counter(r["errorCode"] for _, r in kms_records if "errorCode" in r)
by_source = Counter(r["eventSource"] for _, r in read_back)

expected = {
    "account_id": ACCOUNT,
    "region": REGION,
    "seed": SEED,
    "hour": {"start": iso(HOUR_START), "end": iso(HOUR_END)},
    "notes": [
        "computed by reading back the files generate_cloudtrail.py wrote",
        "windows are five-minute tumbling windows by eventTime; window_end is exclusive",
        "principal_arn as Flowtrail resolves it: the role of an assumed-role session "
        "(sessionIssuer.arn), the invokedBy service for AWSService and AWS-internal events, else userIdentity.arn",
        "key_arn: the AWS::KMS::Key entry of resources[] (every KMS record here has one, except ListAliases and ListKeys)",
        "other_events_skipped: records of other services and EC2 calls that change no network configuration",
        "records = kms_events + network_change_events + other_events_skipped; there are no dead letters",
    ],
    "totals": {
        "files": len(files),
        "records": len(read_back),
        "kms_events": len(kms_records),
        "network_change_events": len(network),
        "other_events_skipped": other,
        "digest_files": 1,
        "dead_letters": 0,
        "late_records": sum(late.values()),
        "kms_errors": sum(errors.values()),
        "kms_access_denied": errors["AccessDenied"],
    },
    "by_event_source": dict(sorted(by_source.items())),
    "kms_by_event_name": dict(sorted(by_name.items())),
    "kms_errors_by_code": dict(sorted(errors.items())),
    "keys": {("alias/" + alias): KEY_ARN[alias] for alias in sorted(KEYS)},
    "kms_interface_endpoint": KMS_ENDPOINT_ID,
    "files": files,
    "digest_file": {"path": os.path.relpath(digest_path, HERE), "log_files": len(files)},
    "kms_usage_busiest_pairs": {"windows": WINDOWS, "pairs": busiest},
    "network_changes": [
        {
            "event_time": r["eventTime"],
            "event_name": r["eventName"],
            "network_acl_id": r["requestParameters"]["networkAclId"],
            "rule_number": r["requestParameters"]["ruleNumber"],
            "egress": r["requestParameters"]["egress"],
            "rule_action": r["requestParameters"].get("ruleAction"),
            "protocol": r["requestParameters"].get("aclProtocol"),
            "cidr_block": r["requestParameters"].get("cidrBlock"),
            "port_range": r["requestParameters"].get("portRange"),
            "principal_arn": principal_of(r["userIdentity"]),
        }
        for _, r in sorted(network, key=lambda x: x[0])
    ],
    "incidents": [
        {
            "id": "kms-key-scheduled-for-deletion",
            "category": "anomalous_key_usage",
            "detector": "kms_key_destruction",
            "entity_type": "key_arn",
            "entity": KEY_ARN["flowtrail-reports-legacy"],
            "key_alias": "alias/flowtrail-reports-legacy",
            "principal_arn": user_arn(ADMIN_USER),
            "window_start": iso(at(10)),
            "window_end": iso(at(15)),
            "evidence": {
                "event_time": iso(DELETION_TIME),
                "event_name": "ScheduleKeyDeletion",
                "pending_window_in_days": 7,
                "source_ip": ADMIN_ADDR,
                "decrypts_by_batch_b_before": 3,
                "later_use": {
                    "event_time": iso(LATER_USE_TIME),
                    "event_name": "Decrypt",
                    "principal_arn": batch_role,
                    "session_name": BATCH_B["instance_id"],
                    "error_code": "KMSInvalidStateException",
                },
            },
        },
        {
            "id": "kms-decrypt-burst-batch-b",
            "category": "anomalous_key_usage",
            "detector": "kms_decrypt_burst",
            "entity_type": "principal_arn",
            "entity": batch_role,
            "key_arn": app_key,
            "session_name": BATCH_B["instance_id"],
            "instance_id": BATCH_B["instance_id"],
            "window_start": iso(at(45)),
            "window_end": iso(at(50)),
            "evidence": {
                "decrypt_calls": BURST,
                "baseline_calls_per_window_same_session": 2,
                "baseline_calls_per_window_role": "batch-a and batch-b together, 3 or 4",
                "distinct_tenants_in_encryption_context": len({r["requestParameters"]["encryptionContext"]["tenant"] for r in burst}),
                "source_ip": nat_public_ip(BATCH_B),
                "source_ip_is": "nat-b's public address: batch-b reaches the KMS endpoint through its NAT gateway",
            },
        },
        {
            "id": "kms-burst-then-egress-batch-b",
            "category": "correlated_incident",
            "detector": "key_usage_then_egress",
            "entity_type": "instance_id",
            "entity": BATCH_B["instance_id"],
            "interface_id": BATCH_B["id"],
            "principal_arn": batch_role,
            "key_arn": app_key,
            "window_start": iso(at(45)),
            "window_end": iso(at(55)),
            "evidence": {
                "kms_incident": "kms-decrypt-burst-batch-b",
                "flow_incident": "unexpected-egress-batch-b in expected.json (batch-b to 192.0.2.200:443, 10:50-10:55)",
                "link": "the assumed-role session name is batch-b's instance id; topology.json maps it to eni-0c4b11609cef605c9",
            },
        },
        {
            "id": "kms-access-denied-burst-dev-user",
            "category": "anomalous_key_usage",
            "detector": "kms_access_denied_burst",
            "entity_type": "principal_arn",
            "entity": user_arn(DEV_USER),
            "window_start": iso(at(30)),
            "window_end": iso(at(35)),
            "evidence": {
                "access_denied": len(denied_errors),
                "distinct_keys": len({r["resources"][0]["ARN"] for r in denied_errors}),
                "by_event_name": dict(sorted(Counter(r["eventName"] for r in denied_errors).items())),
                "source_ip": DEV_ADDR,
                "before": "sts GetCallerIdentity at 10:29:48 and a successful kms ListKeys at 10:29:57",
                "calls_by_this_principal_rest_of_hour": 0,
            },
        },
        {
            "id": "nacl-change-explains-db-a-rejects",
            "category": "correlated_incident",
            "detector": "config_change_then_rejects",
            "entity_type": "network_acl_id",
            "entity": DATA_A_NACL,
            "principal_arn": role_arn("flowtrail-network-admin"),
            "window_start": iso(at(35)),
            "window_end": iso(at(50)),
            "evidence": {
                "added": {"event_time": iso(NACL_ADD_TIME), "event_name": "CreateNetworkAclEntry", "rule_number": 90},
                "removed": {"event_time": iso(NACL_REMOVE_TIME), "event_name": "DeleteNetworkAclEntry", "rule_number": 90},
                "flow_incident": "rejected-spike-db-a-nacl in expected.json (db-a rejects tcp 5432 from 10.20.11.0/24, 10:35-10:50)",
            },
        },
    ],
}

with open(EXPECTED, "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")

print("wrote %d files, %d records (%d KMS, %d network changes, %d other), 1 digest file"
      % (len(files), len(read_back), len(kms_records), len(network), other), file=sys.stderr)
