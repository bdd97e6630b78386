-- An account manager's book, a customer a row: what the portfolio and its chart sum per
-- customer in view (every customer the account manager may open when none is picked). The
-- rows come from the files before, so each customer's figures are those its admin sees.
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
