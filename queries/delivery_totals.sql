-- The proactive deliveries in view in the date range per status: how many there are, every one
-- (what the list of them shows); and how many, their quantity and their delivered hours on
-- consumable entitlements (`counted`): a benefit's deliveries are listed, never summed.
SELECT d.status, sum(d.deliveries) AS deliveries,
    coalesce(sum(d.deliveries) FILTER (WHERE d.kind = 'consumable'), 0) AS counted,
    coalesce(sum(d.quantity) FILTER (WHERE d.kind = 'consumable'), 0) AS quantity,
    coalesce(sum(d.hours_delivered) FILTER (WHERE d.kind = 'consumable'), 0) AS hours_delivered
FROM delivery_days_in_view AS d
WHERE d.category = 'proactive'
GROUP BY d.status
ORDER BY d.status
