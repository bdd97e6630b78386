-- How many support requests booked against one entitlement ($entitlement) of the contracts in
-- view, opened in the date range, whatever workspace they were raised in, the viewer's
-- permissions hide from its usage history (entitlement_history), and their hours (totals
-- count all consumption).
SELECT CAST(coalesce(sum(g.hidden), 0) AS BIGINT) AS hidden,
    CAST(coalesce(sum(g.requests), 0) AS BIGINT) AS requests, coalesce(sum(g.hours), 0) AS hours
FROM case_groups_by_contract AS g
WHERE g.entitlement_id = $entitlement
