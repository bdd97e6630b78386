-- Enrollments in view in the date range; learner name and e-mail are empty unless the viewer
-- may see learners (customer admins, workspace admins, training_manager holders).
SELECT e.enrolled_on, e.course, e.status, e.completed_on, e.learner_name, e.learner_email,
    e.entitlement, e.package_name, e.contract_number, e.learner_shown, e.enrollment_id
FROM enrollments_in_view AS e
ORDER BY e.enrolled_on DESC, e.enrollment_id
