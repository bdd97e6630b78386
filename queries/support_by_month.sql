-- Support requests in view per month opened, by type: how many and how many hours, counting
-- every request whether or not the viewer may see it.
SELECT m.month, m.case_type, m.requests, m.hours
FROM cases_by_month AS m
ORDER BY m.month, m.case_type
