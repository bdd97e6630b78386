-- The people of the viewer's customer, for picking whom to grant a role: only for those who
-- administer a workspace (customer and workspace admins); anyone else gets no rows.
SELECT p.user_id, p.display_name
FROM customer_people AS p
WHERE EXISTS (SELECT 1 FROM openable_workspaces AS w WHERE w.is_admin)
ORDER BY p.display_name, p.user_id
