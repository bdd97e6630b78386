-- How many support requests are in view, how many the viewer sees and how many are hidden by
-- the viewer's permissions.
SELECT v.in_view, v.visible, v.hidden
FROM case_visibility AS v
