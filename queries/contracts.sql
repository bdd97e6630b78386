-- Every contract the viewer may see in the workspaces picked (the contract filter's choices),
-- whatever its state, latest first.
SELECT c.contract_id, c.contract_number, c.name, c.workspace_id, c.workspace_name, c.start_date,
    c.end_date, c.state, c.days_left, c.renews_contract_id
FROM contracts_in_workspaces AS c
ORDER BY c.end_date DESC, c.contract_number
