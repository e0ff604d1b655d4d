-- First-seen principals per key: when each principal first used each key, and whether it
-- started after the key was already in use (new_principal), which is what a key-usage review
-- looks for (a new role decrypting the payments key, a user probing every key).
--
-- "First" means first in the output folder: over a short replay every principal of the first
-- window looks old, so run it over the range you want as a baseline. Calls without a key
-- (ListKeys, ListAliases) are left out. Returns no rows for output folders without a kms_usage
-- table (see views.sql).
WITH per_principal AS (
    SELECT key_arn, principal_arn, min(window_start) AS first_seen,
           sum(calls) AS calls, sum(errors) AS errors
    FROM kms_usage
    WHERE key_arn IS NOT NULL
    GROUP BY key_arn, principal_arn
),
per_key AS (
    SELECT key_arn, min(window_start) AS key_first_seen
    FROM kms_usage
    WHERE key_arn IS NOT NULL
    GROUP BY key_arn
),
first_window AS (
    SELECT u.key_arn, u.principal_arn, sum(u.calls) AS calls_in_first_window,
           sum(u.errors) AS errors_in_first_window,
           string_agg(DISTINCT u.event_name, ', ' ORDER BY u.event_name) AS first_event_names
    FROM kms_usage u
    JOIN per_principal p
        ON u.key_arn = p.key_arn AND u.principal_arn = p.principal_arn
       AND u.window_start = p.first_seen
    GROUP BY u.key_arn, u.principal_arn
)
SELECT
    p.key_arn,
    p.principal_arn,
    p.first_seen,
    p.first_seen > k.key_first_seen AS new_principal,
    f.first_event_names,
    f.calls_in_first_window,
    f.errors_in_first_window,
    p.calls AS calls_total,
    p.errors AS errors_total
FROM per_principal p
JOIN per_key k USING (key_arn)
JOIN first_window f USING (key_arn, principal_arn)
ORDER BY p.key_arn, p.first_seen, p.principal_arn;
