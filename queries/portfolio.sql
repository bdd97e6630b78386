-- An account manager's portfolio: one row per customer they may open (run with no customer
-- picked and every filter at its default, so that each row holds what that customer's admin
-- sees), the soonest contract end first. The figures are the data contract's `portfolio`:
-- active contracts (mapped or not) and the earliest end of those not renewed; enterprise hours
-- as the Enterprise-wide page sums them (utilisation leaves out what has no purchased
-- quantity); overdrawn consumable entitlements and packages expiring soon, of active
-- packages; entitlements forecast to run out before their package ends; additional cases
-- raised in the last 90 days, the as-of day included.
SELECT c.customer_id, c.customer_name,
    coalesce(k.active_contracts, 0) AS active_contracts,
    k.next_contract_end,
    CAST(k.next_contract_end - $as_of AS INTEGER) AS days_left,
    coalesce(h.purchased, 0) AS enterprise_hours_purchased,
    coalesce(h.used, 0) AS enterprise_hours_used,
    CASE
        WHEN h.purchased <> 0 THEN (h.used - h.used_without_limit) / h.purchased
    END AS enterprise_hours_utilisation,
    coalesce(o.overdrawn, 0) AS overdrawn_entitlements,
    coalesce(p.expiring, 0) AS packages_expiring_soon,
    coalesce(r.will_run_out, 0) AS will_run_out,
    coalesce(a.cases, 0) AS additional_cases_90d
FROM viewer AS c
LEFT JOIN (
    SELECT t.customer_id, count(*) AS active_contracts,
        min(t.end_date) FILTER (WHERE NOT t.renewed) AS next_contract_end
    FROM contracts_in_view AS t
    WHERE t.state = 'active'
    GROUP BY t.customer_id
) AS k ON k.customer_id = c.customer_id
LEFT JOIN customer_enterprise_hours AS h ON h.customer_id = c.customer_id
LEFT JOIN (
    SELECT t.customer_id, count(*) AS overdrawn
    FROM entitlement_figures AS f
    JOIN contracts_in_view AS t ON t.contract_id = f.contract_id
    WHERE f.status = 'active' AND f.kind = 'consumable' AND f.remaining < 0
    GROUP BY t.customer_id
) AS o ON o.customer_id = c.customer_id
LEFT JOIN (
    SELECT t.customer_id, count(*) AS expiring
    FROM packages_of_contracts AS g
    JOIN contracts_in_view AS t ON t.contract_id = g.contract_id
    WHERE g.status = 'active' AND g.days_left BETWEEN 0 AND expiring_soon_days()
    GROUP BY t.customer_id
) AS p ON p.customer_id = c.customer_id
LEFT JOIN (
    SELECT t.customer_id, count(*) AS will_run_out
    FROM renewal_forecast AS f
    JOIN contracts_in_view AS t ON t.contract_id = f.contract_id
    WHERE forecast_status(
        f.end_date, f.projected_exhaustion_date, f.projected_unused_at_expiry, f.purchased,
        $as_of
    ) = 'will run out before expiry'
    GROUP BY t.customer_id
) AS r ON r.customer_id = c.customer_id
LEFT JOIN customer_additional_cases_90d AS a ON a.customer_id = c.customer_id
ORDER BY k.next_contract_end NULLS LAST, c.customer_name, c.customer_id
