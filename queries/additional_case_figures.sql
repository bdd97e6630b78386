-- The Additional cases page's figures in one query: the visible additional cases in view per
-- reason (`reason`; a case with two reasons counts under both), per service code (`service`),
-- and those that $reasons and $service pick (`picked`, one row): cases and hours.
SELECT 'reason' AS kind, r.reason AS name, CAST(sum(r.cases) AS BIGINT) AS cases,
    sum(r.hours) AS hours
FROM additional_case_reasons AS r
GROUP BY r.reason
UNION ALL
SELECT 'service', c.service_code, CAST(sum(c.cases) AS BIGINT), sum(c.hours)
FROM additional_case_groups AS c
GROUP BY c.service_code
UNION ALL
SELECT 'picked', NULL, CAST(coalesce(sum(g.cases), 0) AS BIGINT), sum(g.hours)
FROM picked_additional_case_groups AS g
ORDER BY kind, cases DESC, name
