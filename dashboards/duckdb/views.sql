-- DuckDB views over a local Flowtrail output folder (the --out of replay or stream).
--
-- Set the folder, then read this file (DuckDB 1.1 or later; run from the repository root, or give
-- the path of this file):
--
--   duckdb
--   D SET VARIABLE flowtrail_out = '/path/to/out';
--   D .read dashboards/duckdb/views.sql
--   D .read dashboards/queries/rejected_traffic_per_interface.sql
--
-- The views read the Parquet files when they are queried, so files that a running `stream` job
-- commits later are included. Read this file again after changing flowtrail_out, or when a
-- table's folder appears for the first time (kms_usage, below).
--
-- Times: every timestamp column is a UTC instant (TIMESTAMP WITH TIME ZONE in DuckDB). The
-- session time zone is set to UTC so that DuckDB prints and truncates them in UTC.

SET TimeZone = 'UTC';

-- Stops here, with a message, when the folder was not set.
SET VARIABLE flowtrail_out = coalesce(
    getvariable('flowtrail_out'),
    error('flowtrail_out is not set: SET VARIABLE flowtrail_out = ''/path/to/out''; first'));

CREATE OR REPLACE VIEW flow_summary AS
SELECT * FROM read_parquet(
    getvariable('flowtrail_out') || '/flow_summary/**/*.parquet',
    hive_partitioning = true, hive_types = {'dt': DATE, 'hr': INTEGER});

CREATE OR REPLACE VIEW rejects AS
SELECT * FROM read_parquet(
    getvariable('flowtrail_out') || '/rejects/**/*.parquet',
    hive_partitioning = true, hive_types = {'dt': DATE, 'hr': INTEGER});

CREATE OR REPLACE VIEW alerts AS
SELECT * FROM read_parquet(
    getvariable('flowtrail_out') || '/alerts/**/*.parquet',
    hive_partitioning = true, hive_types = {'dt': DATE, 'hr': INTEGER});

CREATE OR REPLACE VIEW dead_letters AS
SELECT * FROM read_parquet(
    getvariable('flowtrail_out') || '/dead_letters/**/*.parquet',
    hive_partitioning = true, hive_types = {'dt': DATE, 'hr': INTEGER});

-- kms_usage is written by Flowtrail versions that read CloudTrail. Output folders from earlier
-- versions have no kms_usage folder: the view is then empty (with the table's columns), and
-- flowtrail_has_kms_usage is false, so the KMS queries return no rows instead of failing.
SET VARIABLE flowtrail_has_kms_usage = (
    SELECT count(*) > 0
    FROM glob(getvariable('flowtrail_out') || '/kms_usage/**/*.parquet'));

SET VARIABLE flowtrail_kms_usage_source = CASE
    WHEN getvariable('flowtrail_has_kms_usage') THEN
        'SELECT * FROM read_parquet(''' || replace(getvariable('flowtrail_out'), '''', '''''')
        || '/kms_usage/**/*.parquet'', hive_partitioning = true,'
        || ' hive_types = {''dt'': DATE, ''hr'': INTEGER})'
    ELSE
        'SELECT NULL::TIMESTAMPTZ AS window_start, NULL::TIMESTAMPTZ AS window_end,'
        || ' NULL::VARCHAR AS account_id, NULL::VARCHAR AS region, NULL::VARCHAR AS key_arn,'
        || ' NULL::VARCHAR AS principal_arn, NULL::VARCHAR AS event_name, NULL::BIGINT AS calls,'
        || ' NULL::BIGINT AS errors, NULL::BIGINT AS distinct_source_ips,'
        || ' NULL::BIGINT AS via_vpc_endpoint, NULL::DATE AS dt, NULL::INTEGER AS hr WHERE false'
    END;

CREATE OR REPLACE VIEW kms_usage AS
SELECT * FROM query(getvariable('flowtrail_kms_usage_source'));

-- The class of an address as text: 'private' (RFC 1918, IPv6 unique local fc00::/7),
-- 'loopback/link-local', or 'public'. (DuckDB's inet extension does this properly, but it is
-- downloaded on first use; this macro works offline.) TEST-NET ranges such as 192.0.2.0/24 count
-- as public, as they do in the sample.
CREATE OR REPLACE MACRO address_class(addr) AS CASE
    WHEN addr IS NULL THEN NULL
    WHEN regexp_matches(addr, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)') THEN 'private'
    WHEN regexp_matches(lower(addr), '^f[cd][0-9a-f]{0,2}:') THEN 'private'
    WHEN regexp_matches(lower(addr), '^(127\.|169\.254\.|::1$|fe[89ab][0-9a-f]?:)')
        THEN 'loopback/link-local'
    ELSE 'public'
END;

-- Severities in order, most severe first (for ORDER BY and for "the worst of a group").
CREATE OR REPLACE MACRO severity_rank(severity) AS
    CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 3
    ELSE 4 END;
