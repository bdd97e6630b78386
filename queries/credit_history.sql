-- The redemption history of the proactive credits in view, whole term: every delivery against
-- them and the balance after it (purchased less what was redeemed up to then).
SELECT l.date, l.title, l.status, l.quantity, l.redeemed_to_date,
    l.purchased - l.redeemed_to_date AS balance, l.entitlement, l.package_name,
    l.contract_number, l.entitlement_id, l.delivery_id
FROM credit_ledger AS l
ORDER BY l.package_name, l.entitlement, l.date, l.delivery_id
