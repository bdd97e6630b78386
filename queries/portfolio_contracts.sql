-- Every active contract of each customer in view (for an account manager with no customer
-- picked: every customer they may open), soonest to end first: the portfolio's renewal
-- timeline. `renewed` says whether another contract renews it.
SELECT t.customer_id, v.customer_name, t.contract_id, t.contract_number, t.name, t.start_date,
    t.end_date, t.days_left, t.renewed, t.renewed_by
FROM contracts_in_view AS t
JOIN viewer AS v ON v.customer_id = t.customer_id
WHERE t.state = 'active'
ORDER BY t.end_date, v.customer_name, t.contract_number
