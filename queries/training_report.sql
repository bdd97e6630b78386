-- The training report: enrollments with learner, course, status and dates, only where the
-- viewer may see learners (customer admins, workspace admins, training_manager holders).
SELECT e.learner_name, e.learner_email, e.course, e.status, e.enrolled_on, e.completed_on,
    e.entitlement, e.package_name, e.contract_number, e.enrollment_id
FROM enrollments_in_view AS e
WHERE e.learner_shown
ORDER BY e.learner_name, e.enrolled_on, e.enrollment_id
