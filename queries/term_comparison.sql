-- This term against the previous one: for each contract in view that renews another the viewer
-- may see, purchased and used per category and unit in both terms, and the change in use.
SELECT t.contract_number, t.previous_contract_number, t.category, t.unit,
    t.purchased_this_term, t.used_this_term, t.purchased_previous_term, t.used_previous_term,
    t.used_this_term - coalesce(t.used_previous_term, 0) AS change_in_use, t.contract_id
FROM term_comparison AS t
ORDER BY t.contract_number, t.category, t.unit
