-- The support requests (cases) in view that the viewer may see, newest first; the date range
-- applies to when they were opened. `contract` names each one's contract: its number, or "a
-- contract you cannot see" (whose id is then null); `shared_with_you`: the viewer sees it only
-- because it was shared with them.
SELECT c.case_id, c.workspace_id, c.contract_id, c.title, c.case_type, c.service_code,
    c.severity, c.status, c.created_at, c.hours, c.closed_at, c.primary_contact_id,
    p.display_name AS primary_contact, c.contract, c.shared AS shared_with_you
FROM newest_visible_cases AS c
LEFT JOIN customer_people AS p ON p.user_id = c.primary_contact_id
ORDER BY c.created_at DESC, c.case_id
