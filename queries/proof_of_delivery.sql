-- Proof of delivery: what was delivered under the contracts in view in the date range, one row
-- each (proactive deliveries with delivered hours, support requests with hours, education
-- seats, assessments, credits redeemed), by category and day (then reference: `place`). The
-- support requests are those booked against the contracts, whatever workspace they were raised
-- in (the workspace filter picks contracts here, not cases), that the viewer may see; the
-- totals (proof_of_delivery_totals) count how many others are hidden. `contract` names each
-- one's contract by its number.
SELECT d.category, d.day, d.item, d.reference, d.quantity, d.unit, d.hours_delivered,
    d.contract_number, d.package_name, d.contract
FROM delivered_items AS d
ORDER BY d.place
