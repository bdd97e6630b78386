-- Everyone who may sign in, account managers first (the one serving the most customers on the
-- as-of day leading, those serving none last), then each customer's users: the demo mode's
-- "view as" picker (never used when sign-in is configured).
SELECT d.user_id, d.display_name, d.customer_name, d.is_customer_admin, d.is_account_manager
FROM directory AS d
ORDER BY d.is_account_manager DESC, d.customers_served DESC, d.customer_name,
    d.is_customer_admin DESC, d.display_name, d.user_id
