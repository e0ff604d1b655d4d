-- Flowtrail table `rejects` for Amazon Athena (engine version 3) and the AWS Glue Data Catalog.
-- One row per window, account, interface, protocol, destination port and the rule that
-- rejected the flows (attributed_to: nacl:<acl-id>#<rule>, sg:no-matching-rule, unattributed, ...).
--
-- Before running: replace s3://EXAMPLE-BUCKET/flowtrail-out with the --out of your Flowtrail job
-- (twice: LOCATION and storage.location.template), and start projection.dt.range at the first day
-- of your data. Partitions are projected from dt (a day, yyyy-MM-dd) and hr (00-23): no
-- MSCK REPAIR TABLE or ALTER TABLE ADD PARTITION, ever. Filter on dt (and hr) so that Athena reads
-- only the days you ask for: WHERE dt BETWEEN '2026-11-01' AND '2026-11-02'.
-- Timestamps are UTC instants (Parquet TIMESTAMP(MILLIS, UTC)).
CREATE EXTERNAL TABLE IF NOT EXISTS flowtrail.rejects (
    `window_start`       timestamp,
    `window_end`         timestamp,
    `account_id`         string,
    `interface_id`       string,
    `protocol`           int,
    `dst_port`           int,
    `attributed_to`      string,
    `flows`              bigint,
    `packets`            bigint,
    `distinct_src_addrs` bigint,
    `vpc_id`             string,
    `subnet_id`          string,
    `direction`          string
)
PARTITIONED BY (`dt` string, `hr` int)
STORED AS PARQUET
LOCATION 's3://EXAMPLE-BUCKET/flowtrail-out/rejects/'
TBLPROPERTIES (
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '2025-01-01,NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'projection.hr.type' = 'integer',
    'projection.hr.range' = '0,23',
    'projection.hr.digits' = '2',
    'storage.location.template' = 's3://EXAMPLE-BUCKET/flowtrail-out/rejects/dt=${dt}/hr=${hr}/'
);
