-- Enrollments in view in the date range, counted by course and status.
SELECT e.course, e.status, count(*) AS enrollments
FROM enrollments_in_view AS e
GROUP BY e.course, e.status
ORDER BY e.course, e.status
