-- The deliveries against the proactive credits in view dated in the date range, latest first,
-- each with the balance after it (purchased less what was redeemed up to then, whole term).
SELECT l.date, l.title, l.status, l.quantity, l.redeemed_to_date,
    l.purchased - l.redeemed_to_date AS balance, l.entitlement, l.package_name,
    l.contract_number, l.entitlement_id, l.delivery_id
FROM credit_ledger AS l
ORDER BY l.date DESC, l.delivery_id DESC
