-- Flowtrail table `kms_usage` for Amazon Athena (engine version 3) and the AWS Glue Data Catalog.
-- KMS calls per window, account, region, key, principal and event name (from CloudTrail).
-- The columns are those of the design (DESIGN.md); the table is written once CloudTrail input
-- lands. via_vpc_endpoint is assumed to be a count of calls (bigint): check it against the
-- first kms_usage output (AthenaDdlTest compares it with the writer as soon as the writer exists).
--
-- Before running: replace s3://EXAMPLE-BUCKET/flowtrail-out with the --out of your Flowtrail job
-- (twice: LOCATION and storage.location.template), and start projection.dt.range at the first day
-- of your data. Partitions are projected from dt (a day, yyyy-MM-dd) and hr (00-23): no
-- MSCK REPAIR TABLE or ALTER TABLE ADD PARTITION, ever. Filter on dt (and hr) so that Athena reads
-- only the days you ask for: WHERE dt BETWEEN '2026-11-01' AND '2026-11-02'.
-- Timestamps are UTC instants (Parquet TIMESTAMP(MILLIS, UTC)).
CREATE EXTERNAL TABLE IF NOT EXISTS flowtrail.kms_usage (
    `window_start`        timestamp,
    `window_end`          timestamp,
    `account_id`          string,
    `region`              string,
    `key_arn`             string,
    `principal_arn`       string,
    `event_name`          string,
    `calls`               bigint,
    `errors`              bigint,
    `distinct_source_ips` bigint,
    `via_vpc_endpoint`    bigint
)
PARTITIONED BY (`dt` string, `hr` int)
STORED AS PARQUET
LOCATION 's3://EXAMPLE-BUCKET/flowtrail-out/kms_usage/'
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
    'storage.location.template' = 's3://EXAMPLE-BUCKET/flowtrail-out/kms_usage/dt=${dt}/hr=${hr}/'
);
