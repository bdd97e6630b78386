-- The deliveries of proactive services in view (workshops, engagements) in the date range of the
-- status $delivery_status (null: any): status, quantity and delivered hours; newest first, but
-- scheduled ones soonest first. Asked for the first $row_limit only, it reads only the days
-- those need.
SELECT d.date, d.title, d.status, d.quantity, d.hours_delivered, d.delivered_by, d.entitlement,
    d.package_name, d.contract_number, d.kind, d.delivery_id, d.entitlement_id
FROM deliveries_in_view AS d
WHERE d.category = 'proactive'
    AND ($delivery_status IS NULL OR d.status = $delivery_status)
    AND d.date BETWEEN (SELECT n.since FROM proactive_list_days AS n)
        AND (SELECT n.until FROM proactive_list_days AS n)
ORDER BY CASE WHEN $delivery_status = 'scheduled' THEN d.date END, d.date DESC, d.delivery_id
