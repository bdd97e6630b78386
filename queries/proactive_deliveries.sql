-- The deliveries of proactive services in view (workshops, engagements) in the date range:
-- status, quantity and delivered hours, newest first. Asked for the newest $row_limit only, it
-- reads no older deliveries than those.
SELECT d.date, d.title, d.status, d.quantity, d.hours_delivered, d.delivered_by, d.entitlement,
    d.package_name, d.contract_number, d.kind, d.delivery_id, d.entitlement_id
FROM deliveries_in_view AS d
WHERE d.category = 'proactive'
    AND d.date >= (SELECT n.proactive FROM newest_deliveries_since AS n)
ORDER BY d.date DESC, d.delivery_id
