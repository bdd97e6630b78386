-- The proactive deliveries in view in the date range per status: how many there are, their
-- quantity and their delivered hours.
SELECT d.status, sum(d.deliveries) AS deliveries, coalesce(sum(d.quantity), 0) AS quantity,
    coalesce(sum(d.hours_delivered), 0) AS hours_delivered
FROM delivery_days_in_view AS d
WHERE d.category = 'proactive'
GROUP BY d.status
ORDER BY d.status
