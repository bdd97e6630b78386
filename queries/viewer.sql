-- The viewer: who they are, whether an account manager, how many customers they may open, the
-- customer in view when there is one (a customer user's own; the one an account manager picked
-- or the only one they may open), and in how many workspaces there they can open the dashboard.
SELECT p.user_id, p.display_name, p.email, p.is_customer_admin, p.is_account_manager,
    (SELECT count(*) FROM viewer_customers) AS customers,
    (SELECT min(v.customer_id) FROM viewer AS v HAVING count(*) = 1) AS customer_id,
    (SELECT min(v.customer_name) FROM viewer AS v HAVING count(*) = 1) AS customer_name,
    (SELECT count(*) FROM openable_workspaces) AS openable_workspaces
FROM viewer_person AS p
