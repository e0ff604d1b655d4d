-- KMS calls by key and principal: who uses which key, how much, and how often it failed.
--
-- principal_arn is the role of an assumed-role session (not the session), the AWS service for
-- calls a service makes on a user's behalf, else the caller's ARN. key_arn is null for calls
-- that name no key (ListKeys, ListAliases). distinct_source_ips cannot be added across windows:
-- max_distinct_source_ips is the largest count in one window. Returns no rows for output folders
-- without a kms_usage table (see views.sql).
SELECT
    key_arn,
    principal_arn,
    sum(calls) AS calls,
    sum(errors) AS errors,
    round(100.0 * sum(errors) / nullif(sum(calls), 0), 1) AS error_pct,
    string_agg(DISTINCT event_name, ', ' ORDER BY event_name) AS event_names,
    max(distinct_source_ips) AS max_distinct_source_ips,
    count(DISTINCT window_start) AS windows,
    min(window_start) AS first_window,
    max(window_end) AS last_window_end
FROM kms_usage
GROUP BY key_arn, principal_arn
ORDER BY calls DESC, key_arn, principal_arn;
