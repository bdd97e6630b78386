-- Visible additional cases in view counted per reason (a case with two reasons counts in both).
SELECT r.reason, CAST(sum(r.cases) AS BIGINT) AS cases, sum(r.hours) AS hours
FROM additional_case_reasons AS r
GROUP BY r.reason
ORDER BY r.reason
