-- Proof of delivery: what was delivered under the contracts in view in the date range, one row
-- each (proactive deliveries with delivered hours, support requests with hours, education
-- seats, assessments, credits redeemed), by category and day (then reference: `place`).
SELECT d.category, d.day, d.item, d.reference, d.quantity, d.unit, d.hours_delivered,
    d.contract_number, d.package_name
FROM delivered_items AS d
ORDER BY d.place
