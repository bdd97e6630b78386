-- The on-demand assessments in view, each with technology, status and dates.
SELECT a.name, a.technology, a.status, a.started_on, a.completed_on, a.counted, a.entitlement,
    a.package_name, a.contract_number, a.assessment_id
FROM assessments_in_view AS a
ORDER BY a.started_on DESC NULLS FIRST, a.name
