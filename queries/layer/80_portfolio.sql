-- An account manager's book, a customer a row: what the portfolio and its chart sum per
-- customer in view (every customer the account manager may open when none is picked). The
-- rows come from the files before, so each customer's figures are those its admin sees.
customer_additional_cases_90d AS (
    -- Each customer's additional cases the viewer may see raised in the last 90 days, the
    -- as-of day included, whatever the filters. Read from the cases seen before they are kept
    -- per viewer, so that only those days are read.
    SELECT w.customer_id, CAST(sum(g.cases) AS BIGINT) AS cases
    FROM _case_groups_seen AS g
    JOIN openable_workspaces AS w ON w.workspace_id = g.workspace_id
    WHERE g.day BETWEEN CAST($as_of - INTERVAL 89 DAY AS DATE) AND $as_of
        AND (g.sees_all OR g.seen_one_by_one)
        AND (g.no_entitlement OR g.expired_contract OR g.unmapped_contract OR g.special_service)
    GROUP BY w.customer_id
),
customer_enterprise_hours AS (
    -- Each customer's enterprise hours as the Enterprise-wide page sums them (the consumable
    -- entitlements in hours of the active enterprise packages of active contracts in view):
    -- purchased, used, scheduled, remaining (what the entitlements not overdrawn have left),
    -- overage (how far the overdrawn went past theirs) and what was used or scheduled on
    -- entitlements with no purchased quantity.
    SELECT t.customer_id, sum(f.purchased) AS purchased, sum(f.used) AS used,
        sum(f.scheduled) AS scheduled,
        sum(CASE WHEN f.remaining >= 0 THEN f.remaining WHEN f.remaining < 0 THEN 0 END)
            AS remaining,
        coalesce(sum(-f.remaining) FILTER (WHERE f.remaining < 0), 0) AS overage,
        coalesce(sum(f.used) FILTER (WHERE f.purchased IS NULL), 0) AS used_without_limit,
        coalesce(sum(f.scheduled) FILTER (WHERE f.purchased IS NULL), 0)
            AS scheduled_without_limit
    FROM enterprise_figures AS f
    JOIN contracts_in_view AS t ON t.contract_id = f.contract_id
    WHERE f.unit = 'hours'
    GROUP BY t.customer_id
)
