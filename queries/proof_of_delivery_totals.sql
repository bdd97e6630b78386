-- Proof of delivery totals per category: how many items, the quantity in its unit and, for
-- proactive services, the hours delivered (counted from the roll-ups, not item by item). Every
-- support request booked against the contracts in view counts, whatever workspace it was
-- raised in and whether or not the viewer may see it; `hidden`: how many of the items the
-- viewer's permissions hide from the list.
SELECT d.category, d.unit, CAST(sum(d.items) AS BIGINT) AS items, sum(d.quantity) AS quantity,
    sum(d.hours_delivered) AS hours_delivered, CAST(sum(d.hidden) AS BIGINT) AS hidden
FROM delivered_totals AS d
GROUP BY d.category, d.unit
ORDER BY d.category
