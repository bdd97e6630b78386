-- The viewer: who they are, their customer, and in how many workspaces they can open the dashboard.
SELECT v.user_id, v.display_name, v.email, v.customer_id, v.customer_name, v.is_customer_admin,
    (SELECT count(*) FROM openable_workspaces) AS openable_workspaces
FROM viewer AS v
