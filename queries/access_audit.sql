-- Every change to access made in the app in the workspaces the viewer administers, newest
-- first: who, when, what, for whom and in which workspace.
SELECT a.changed_at, a.changed_by, a.action, a.role, a.user_name, a.workspace_name, a.by_user,
    a.user_id, a.workspace_id, a.seq
FROM access_audit AS a
ORDER BY a.seq DESC
