-- The evidence of one alert, one row per field.
--
-- Set the alert first (ids are in the alerts view, and in replay --alerts-jsonl output):
--   SET VARIABLE alert_id = '0ba73f2f23054cdc97c03f5e4139cfd2';
-- Without it, the query shows the most severe, most recent alert. The first rows are the alert's
-- own columns (prefixed with "alert."), the others the keys of its evidence JSON in the order the
-- detector wrote them; their values are JSON (text in quotes, objects and lists whole).
WITH chosen AS (
    SELECT *
    FROM alerts
    WHERE alert_id = coalesce(
        getvariable('alert_id'),
        (SELECT alert_id FROM alerts
         ORDER BY severity_rank(severity), window_start DESC, alert_id
         LIMIT 1))
),
columns AS (
    SELECT 0 AS part, c.n AS position, 'alert.' || c.name AS field, c.value AS value
    FROM chosen,
        unnest([
            {'n': 1, 'name': 'alert_id', 'value': alert_id},
            {'n': 2, 'name': 'title', 'value': title},
            {'n': 3, 'name': 'category', 'value': category || ' / ' || detector},
            {'n': 4, 'name': 'severity', 'value': severity},
            {'n': 5, 'name': 'window_utc',
             'value': strftime(window_start, '%Y-%m-%d %H:%M') || ' to '
                      || strftime(window_end, '%Y-%m-%d %H:%M')},
            {'n': 6, 'name': 'entity',
             'value': concat_ws(' ', interface_id, src_addr,
                                CASE WHEN dst_addr IS NOT NULL OR dst_port IS NOT NULL
                                     THEN '-> ' || coalesce(dst_addr, '*') || ':'
                                          || coalesce(CAST(dst_port AS VARCHAR), '*') END,
                                principal_arn, key_arn)},
            {'n': 7, 'name': 'observed / expected',
             'value': coalesce(CAST(observed AS VARCHAR), '-') || ' / '
                      || coalesce(CAST(expected AS VARCHAR), '-')}
        ]) AS t(c)
),
evidence AS (
    SELECT 1 AS part, e.id AS position, e.key AS field, CAST(e.value AS VARCHAR) AS value
    FROM chosen, json_each(chosen.evidence) AS e
)
SELECT field, value
FROM (SELECT * FROM columns UNION ALL SELECT * FROM evidence)
ORDER BY part, position;
