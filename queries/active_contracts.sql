-- The active contracts in view (start_date <= as_of <= end_date), soonest to end first. A
-- contract another contract renews is `renewed`; `renewed_by` is its renewal's number ("a
-- contract you cannot see" when the viewer may not see it; null when not renewed), and it is
-- never expiring soon (0 <= days_left <= 90, not renewed).
SELECT c.contract_id, c.contract_number, c.name, c.workspace_id, c.start_date, c.end_date,
    c.days_left, c.workspace_name,
    c.days_left BETWEEN 0 AND expiring_soon_days() AND NOT c.renewed AS expiring_soon,
    c.renewed, c.renewed_by
FROM contracts_in_view AS c
WHERE c.state = 'active'
ORDER BY c.end_date, c.contract_number
