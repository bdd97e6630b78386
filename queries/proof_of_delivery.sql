-- Proof of delivery: what was delivered under the contracts in view in the date range, one row
-- each (proactive deliveries with delivered hours, support requests with hours, education
-- seats, assessments, credits redeemed), by category and day (then reference: `place`).
-- `contract` names each one's contract: its number, or "a contract you cannot see" for a
-- support request booked against one (whose number is then null).
SELECT d.category, d.day, d.item, d.reference, d.quantity, d.unit, d.hours_delivered,
    d.contract_number, d.package_name, d.contract
FROM delivered_items AS d
ORDER BY d.place
