-- The workspaces in which the viewer can open the dashboard, and what the viewer may do there.
SELECT w.workspace_id, w.name, w.is_admin, w.sees_all_cases, w.sees_learners
FROM openable_workspaces AS w
ORDER BY w.name, w.workspace_id
