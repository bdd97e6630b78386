-- Enrollments in view in the date range, counted by the month they enrolled in and status.
SELECT CAST(date_trunc('month', e.enrolled_on) AS DATE) AS month, e.status,
    count(*) AS enrollments
FROM enrollments_in_view AS e
GROUP BY 1, 2
ORDER BY 1, 2
