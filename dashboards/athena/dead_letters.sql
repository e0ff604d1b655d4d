-- Flowtrail table `dead_letters` for Amazon Athena (engine version 3) and the AWS Glue Data Catalog.
-- Every input record Flowtrail could not read, with where it came from and why. Partitioned by
-- the record's own time when it has one, else by when it was read.
--
-- Before running: replace s3://EXAMPLE-BUCKET/flowtrail-out with the --out of your Flowtrail job
-- (twice: LOCATION and storage.location.template), and start projection.dt.range at the first day
-- of your data. Partitions are projected from dt (a day, yyyy-MM-dd) and hr (00-23): no
-- MSCK REPAIR TABLE or ALTER TABLE ADD PARTITION, ever. Filter on dt (and hr) so that Athena reads
-- only the days you ask for: WHERE dt BETWEEN '2026-11-01' AND '2026-11-02'.
-- Timestamps are UTC instants (Parquet TIMESTAMP(MILLIS, UTC)).
CREATE EXTERNAL TABLE IF NOT EXISTS flowtrail.dead_letters (
    `source`   string,
    `location` string,
    `reason`   string,
    `raw`      string,
    `seen_at`  timestamp
)
PARTITIONED BY (`dt` string, `hr` int)
STORED AS PARQUET
LOCATION 's3://EXAMPLE-BUCKET/flowtrail-out/dead_letters/'
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
    'storage.location.template' = 's3://EXAMPLE-BUCKET/flowtrail-out/dead_letters/dt=${dt}/hr=${hr}/'
);
