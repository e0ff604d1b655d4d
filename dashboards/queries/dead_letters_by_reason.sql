-- Dead letters by reason: what Flowtrail could not read, how often, and one place to look.
--
-- reason starts with the field or the kind of problem ("packets: expected ...", "truncated: ...",
-- "late: ..." for records whose window had closed in streaming mode); location is file:line (or
-- the Kafka topic, partition and offset). Nothing read is dropped silently: the run's counts
-- close with these rows.
SELECT
    source,
    split_part(reason, ':', 1) AS problem,
    count(*) AS records,
    min(location) AS first_location,
    arg_min(reason, location) AS example_reason,
    min(seen_at) AS first_seen_at
FROM dead_letters
GROUP BY source, problem
ORDER BY records DESC, source, problem;
