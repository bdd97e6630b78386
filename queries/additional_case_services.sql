-- Visible additional cases in view counted per service code.
SELECT c.service_code, CAST(sum(c.cases) AS BIGINT) AS cases, sum(c.hours) AS hours
FROM visible_case_groups AS c
WHERE c.no_entitlement OR c.expired_contract OR c.unmapped_contract OR c.special_service
GROUP BY c.service_code
ORDER BY cases DESC, c.service_code
