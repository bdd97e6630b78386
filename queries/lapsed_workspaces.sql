-- The lapsed workspaces in view: those with contracts, none of them active or upcoming. Each with
-- its last contract (the one that ended last) and the support requests opened in it in the date
-- range that the viewer may see, counted as the page counts them; those ended last first. With
-- a contract picked, only its workspace, if lapsed.
SELECT w.workspace_id, w.name AS workspace_name, k.last_contract_number, k.last_contract_end,
    CAST(coalesce(r.support_requests, 0) AS BIGINT) AS support_requests
FROM workspaces_in_view AS w
JOIN (
    SELECT c.workspace_id,
        arg_max(c.contract_number, (c.end_date, c.contract_number)) AS last_contract_number,
        max(c.end_date) AS last_contract_end
    FROM contracts_in_workspaces AS c
    WHERE c.workspace_id IS NOT NULL
    GROUP BY c.workspace_id
    HAVING NOT bool_or(c.state IN ('active', 'upcoming'))
        -- a contract picked narrows the list to its workspace
        AND ($contract IS NULL OR bool_or(c.contract_id = $contract))
) AS k ON k.workspace_id = w.workspace_id
LEFT JOIN (
    SELECT g.workspace_id, sum(g.cases) AS support_requests
    FROM visible_case_groups AS g
    GROUP BY g.workspace_id
) AS r ON r.workspace_id = w.workspace_id
ORDER BY k.last_contract_end DESC, w.name
