-- For each workspace the viewer administers, its members and the holders of a role in it, with
-- the roles in effect (imported, plus granted in the app, less revoked in the app).
SELECT a.workspace_name, a.display_name, a.email, a.is_customer_admin, a.is_workspace_admin,
    a.customer_activity, a.view_all_support_requests, a.training_manager, a.workspace_id,
    a.user_id
FROM managed_access AS a
ORDER BY a.workspace_name, a.display_name, a.user_id
