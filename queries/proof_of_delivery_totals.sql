-- Proof of delivery totals per category: how many items, the quantity in its unit and, for
-- proactive services, the hours delivered.
SELECT d.category, d.unit, count(*) AS items, sum(d.quantity) AS quantity,
    sum(d.hours_delivered) AS hours_delivered
FROM delivered_items AS d
GROUP BY d.category, d.unit
ORDER BY d.category
