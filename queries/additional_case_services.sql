-- Visible additional cases in view counted per service code.
SELECT c.service_code, CAST(sum(c.cases) AS BIGINT) AS cases, sum(c.hours) AS hours
FROM additional_case_groups AS c
GROUP BY c.service_code
ORDER BY cases DESC, c.service_code
