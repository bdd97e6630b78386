-- The deliveries of proactive services in view (workshops, engagements) in the date range of the
-- status $delivery_status (null: any) that the list's search finds: status, quantity and
-- delivered hours; newest first, but scheduled ones soonest first. Asked for the first
-- $row_limit only, with no search, it reads only the days those need.
SELECT d.date, d.title, d.status, d.quantity, d.hours_delivered, d.delivered_by, d.entitlement,
    d.package_name, d.contract_number, d.kind, d.delivery_id, d.entitlement_id
FROM proactive_list AS d
ORDER BY CASE WHEN $delivery_status = 'scheduled' THEN d.date END, d.date DESC, d.delivery_id
