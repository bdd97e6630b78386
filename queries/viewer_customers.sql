-- The customers the viewer may open, by name: a customer user's own; for an account manager
-- those of their active assignments (the customer filter's choices).
SELECT c.customer_id, c.name
FROM viewer_customers AS c
ORDER BY c.name, c.customer_id
