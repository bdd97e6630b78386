-- Proof of delivery totals per category: how many items, the quantity in its unit and, for
-- proactive services, the hours delivered (counted from the roll-ups, not item by item). Every
-- support request booked against the contracts in view counts, whatever workspace it was
-- raised in and whether or not the viewer may see it; `hidden`: how many of the items the
-- viewer's permissions hide from the list; `no_package`: how much of the quantity was booked
-- against the contract but no entitlement (support requests only), so no package of it.
SELECT d.category, d.unit, CAST(sum(d.items) AS BIGINT) AS items, sum(d.quantity) AS quantity,
    sum(d.hours_delivered) AS hours_delivered, CAST(sum(d.hidden) AS BIGINT) AS hidden,
    (
        SELECT coalesce(sum(g.hours), 0)
        FROM case_groups_by_contract AS g
        WHERE g.entitlement_id IS NULL AND g.case_type = d.category
    ) AS no_package
FROM delivered_totals AS d
GROUP BY d.category, d.unit
ORDER BY d.category
