-- How many deliveries against the proactive credits in view are dated in the date range, of
-- any status: the length of the credit ledger's list (credit_history), counted on the roll-up
-- of the deliveries per day instead of on the list itself.
SELECT coalesce(sum(d.deliveries), 0) AS deliveries
FROM delivery_days_in_view AS d
WHERE d.category = 'credits' AND d.kind = 'consumable'
