-- The active contracts in view (start_date <= as_of <= end_date), soonest to end first.
SELECT c.contract_id, c.contract_number, c.name, c.workspace_id, c.start_date, c.end_date,
    c.days_left, c.workspace_name, c.days_left BETWEEN 0 AND 90 AS expiring_soon
FROM contracts_in_view AS c
WHERE c.state = 'active'
ORDER BY c.end_date, c.contract_number
