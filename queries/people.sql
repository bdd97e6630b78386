-- The people of the viewer's customer (for picking whom to grant a role).
SELECT p.user_id, p.display_name
FROM customer_people AS p
ORDER BY p.display_name, p.user_id
