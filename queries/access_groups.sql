-- The groups that may see the support requests of the workspaces the viewer administers.
SELECT g.workspace_name, g.group_name, g.members, g.workspace_id, g.group_id
FROM managed_group_access AS g
ORDER BY g.workspace_name, g.group_name
