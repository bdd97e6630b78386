-- Every user of the dataset, by customer: the demo mode's "view as" picker (never used when
-- sign-in is configured).
SELECT d.user_id, d.display_name, d.customer_name, d.is_customer_admin
FROM directory AS d
ORDER BY d.customer_name, d.is_customer_admin DESC, d.display_name, d.user_id
