-- Enrollments in view in the date range, counted by course, status and entitlement (whether it
-- is a benefit, whose enrollments count against no seats).
SELECT e.course, e.status, e.entitlement, e.kind, count(*) AS enrollments
FROM enrollments_in_view AS e
GROUP BY ALL
ORDER BY e.course, e.status, e.entitlement
