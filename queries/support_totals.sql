-- Support requests in view by type (reactive, advisory): how many and how many hours in all
-- (totals count all consumption), and how many the viewer may see or are hidden.
SELECT t.case_type, t.requests, t.hours, t.visible, t.hidden
FROM case_totals AS t
ORDER BY t.case_type DESC
