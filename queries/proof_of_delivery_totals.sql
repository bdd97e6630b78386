-- Proof of delivery totals per category: how many items, the quantity in its unit and, for
-- proactive services, the hours delivered (counted from the roll-ups, not item by item).
SELECT d.category, d.unit, CAST(sum(d.items) AS BIGINT) AS items, sum(d.quantity) AS quantity,
    sum(d.hours_delivered) AS hours_delivered
FROM delivered_totals AS d
GROUP BY d.category, d.unit
ORDER BY d.category
