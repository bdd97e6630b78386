-- The visible cases in view that count as additional under the contract, each with its reasons
-- (the reason names, sorted, joined by ';'), newest first; $reasons (a list, empty for all) and
-- $service (null for all) narrow it to what the page's chart and selector picked. `contract`
-- names each one's contract: its number, or "a contract you cannot see" (whose id is then null).
SELECT c.case_id, c.workspace_id, c.service_code,
    concat_ws(
        ';',
        CASE WHEN c.expired_contract THEN 'expired_contract' END,
        CASE WHEN c.no_entitlement THEN 'no_entitlement' END,
        CASE WHEN c.special_service THEN 'special_service' END,
        CASE WHEN c.unmapped_contract THEN 'unmapped_contract' END
    ) AS reasons,
    c.contract_id, c.title, c.case_type, c.severity, c.status, c.created_at, c.hours,
    c.contract
FROM picked_additional_cases AS c
ORDER BY c.created_at DESC, c.case_id
