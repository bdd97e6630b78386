-- What the customer bought, as far as the viewer may see it: contracts (with their state and
-- renewals), their packages and the packages' entitlements, each kept per viewer and then
-- taken as the filters pick; and each entitlement's figures (purchased, used, scheduled,
-- remaining), for every page and for Enterprise-wide.
_contracts AS (
    -- Every contract of the customers in view with its state on the as-of day, whether the
    -- viewer is that customer's admin, and whether they see its contracts mapped to no
    -- workspace (a customer admin or an account manager does): for lookups only.
    SELECT c.contract_id, c.customer_id, c.workspace_id, c.contract_number, c.name, c.start_date,
        c.end_date, c.renews_contract_id, v.is_customer_admin,
        v.is_customer_admin OR v.is_account_manager AS sees_unmapped,
        CASE
            WHEN c.end_date < $as_of THEN 'expired'
            WHEN c.start_date > $as_of THEN 'upcoming'
            ELSE 'active'
        END AS state,
        CAST(c.end_date - $as_of AS INTEGER) AS days_left
    FROM raw.contracts AS c
    JOIN viewer AS v ON v.customer_id = c.customer_id
),
_viewer_contracts AS (
    -- The contracts the viewer may see: mapped to a workspace they can open, or, for a customer
    -- admin or an account manager, mapped to none. Each with whether it is `renewed` (another contract of the customer
    -- names it in renews_contract_id, whether the viewer may see that one or not) and
    -- `renewed_by`: the number of its renewal (of several, the first to start among those the
    -- viewer may see), "a contract you cannot see" when the viewer may see none of them, null
    -- when it is not renewed.
    SELECT c.contract_id, c.customer_id, c.workspace_id, w.name AS workspace_name,
        c.contract_number, c.name, c.start_date, c.end_date, c.renews_contract_id, c.state,
        c.days_left, r.renewals IS NOT NULL AS renewed,
        CASE
            WHEN r.renewals IS NOT NULL THEN coalesce(r.seen_number, 'a contract you cannot see')
        END AS renewed_by
    FROM _contracts AS c
    LEFT JOIN openable_workspaces AS w ON w.workspace_id = c.workspace_id
    LEFT JOIN (
        SELECT n.renews_contract_id, count(*) AS renewals,
            arg_min(n.contract_number, (n.start_date, n.contract_number))
                FILTER (WHERE n.seen) AS seen_number
        FROM (
            SELECT k.renews_contract_id, k.contract_number, k.start_date,
                coalesce(
                    k.workspace_id IN (SELECT o.workspace_id FROM openable_workspaces AS o)
                    OR (k.workspace_id IS NULL AND k.sees_unmapped),
                    false
                ) AS seen
            FROM _contracts AS k
            WHERE k.renews_contract_id IS NOT NULL
        ) AS n
        GROUP BY n.renews_contract_id
    ) AS r ON r.renews_contract_id = c.contract_id
    WHERE w.workspace_id IS NOT NULL
        OR (c.workspace_id IS NULL AND c.sees_unmapped)
),
contracts_in_workspaces AS (
    -- The contracts the viewer may see among the workspaces picked: mapped to one of them, or,
    -- for a customer admin or an account manager with no workspace picked, mapped to none.
    SELECT c.*
    FROM _viewer_contracts AS c
    WHERE raw.is_in_view(c.workspace_id, c.contract_id, $workspaces, NULL)
),
contracts_in_view AS (
    SELECT c.*
    FROM _viewer_contracts AS c
    WHERE raw.is_in_view(c.workspace_id, c.contract_id, $workspaces, $contract)
),
_viewer_packages AS (
    -- Every package of the contracts the viewer may see.
    SELECT p.package_id, p.contract_id, c.contract_number, c.workspace_id, p.name, p.scope,
        p.start_date, p.end_date,
        CASE
            WHEN p.end_date < $as_of THEN 'expired'
            WHEN p.start_date > $as_of THEN 'upcoming'
            ELSE 'active'
        END AS state,
        CASE
            WHEN p.start_date <= $as_of AND p.end_date >= $as_of THEN 'active'
            ELSE 'inactive'
        END AS status,
        CAST(p.end_date - $as_of AS INTEGER) AS days_left,
        CAST(p.end_date - $as_of AS INTEGER) BETWEEN 0 AND expiring_soon_days() AS expiring_soon,
        c.state AS contract_state
    FROM raw.packages AS p
    JOIN _viewer_contracts AS c ON c.contract_id = p.contract_id
),
packages_of_contracts AS (
    -- Every package of the contracts in view, whatever the package filters say. Like every step
    -- below that takes what the filters pick from a `_viewer_` table, it tests the workspace of
    -- the row's contract and the contract (raw.is_in_view): one test per row, where a join to
    -- contracts_in_view costs more than the rest of a small query.
    SELECT p.*
    FROM _viewer_packages AS p
    WHERE raw.is_in_view(p.workspace_id, p.contract_id, $workspaces, $contract)
),
packages_in_view AS (
    SELECT p.*
    FROM packages_of_contracts AS p
    WHERE ($package IS NULL OR p.package_id = $package)
        AND ($status = 'all' OR p.status = $status)
),
_viewer_entitlements AS (
    -- The entitlements of the packages of the contracts the viewer may see, with the contract
    -- and its workspace.
    SELECT e.entitlement_id, e.package_id, e.category, e.name, e.description, e.kind, e.unit,
        e.purchased, e.action_url, p.contract_id, p.workspace_id
    FROM raw.entitlements AS e
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
),
_entitlements AS (
    -- The entitlements of the packages of the contracts in view.
    SELECT e.entitlement_id, e.package_id, e.category, e.name, e.description, e.kind, e.unit,
        e.purchased, e.action_url
    FROM _viewer_entitlements AS e
    WHERE raw.is_in_view(e.workspace_id, e.contract_id, $workspaces, $contract)
),
_usage AS (
    -- Used and scheduled of each consumable entitlement, over the whole term, from every row of
    -- consumption (visible or not): computed with the dataset (raw.entitlement_usage), except
    -- for named contacts, which count the contacts not removed by the as-of day. Read only
    -- joined to the entitlements a query shows.
    SELECT u.entitlement_id, u.used, u.scheduled
    FROM raw.entitlement_usage AS u
    UNION ALL
    SELECT t.entitlement_id, count(*), 0
    FROM raw.contacts AS t
    JOIN raw.entitlements AS e ON e.entitlement_id = t.entitlement_id
    WHERE e.kind = 'consumable' AND e.category = 'contacts'
        AND (t.removed_on IS NULL OR t.removed_on > $as_of)
    GROUP BY t.entitlement_id
),
_viewer_entitlement_figures AS (
    -- Each entitlement of the packages of the contracts the viewer may see with its package and
    -- its figures; the figures of a benefit are null, so that it is never summed into anything.
    SELECT p.contract_id, p.contract_number, p.workspace_id, p.package_id,
        p.name AS package_name, p.scope, p.state AS package_state, p.status, p.start_date,
        p.end_date, p.days_left, p.expiring_soon, p.contract_state,
        e.entitlement_id, e.category, e.name, e.description, e.kind, e.unit, e.action_url,
        CASE WHEN e.kind = 'consumable' THEN e.purchased END AS purchased,
        CASE WHEN e.kind = 'consumable' THEN coalesce(u.used, 0) END AS used,
        CASE WHEN e.kind = 'consumable' THEN coalesce(u.scheduled, 0) END AS scheduled,
        CASE
            WHEN e.kind = 'consumable'
                THEN e.purchased - coalesce(u.used, 0) - coalesce(u.scheduled, 0)
        END AS remaining,
        CASE
            WHEN e.kind = 'consumable' AND e.purchased <> 0 THEN coalesce(u.used, 0) / e.purchased
        END AS utilisation
    FROM _viewer_entitlements AS e
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
    LEFT JOIN _usage AS u ON u.entitlement_id = e.entitlement_id
),
entitlement_figures AS (
    -- The same for the packages in view.
    SELECT f.*
    FROM _viewer_entitlement_figures AS f
    WHERE raw.is_package_in_view(
        f.workspace_id, f.contract_id, f.package_id, f.status, $workspaces, $contract,
        $package, $status
    )
),
_viewer_enterprise_figures AS (
    -- The consumable entitlements of the active enterprise packages of the active contracts the
    -- viewer may see.
    SELECT e.category, e.unit, e.entitlement_id, e.name, p.package_id, p.name AS package_name,
        p.contract_id, p.contract_number, p.end_date, p.days_left,
        e.purchased,
        coalesce(u.used, 0) AS used,
        coalesce(u.scheduled, 0) AS scheduled,
        e.purchased - coalesce(u.used, 0) - coalesce(u.scheduled, 0) AS remaining,
        p.workspace_id
    FROM _viewer_entitlements AS e
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
    LEFT JOIN _usage AS u ON u.entitlement_id = e.entitlement_id
    WHERE e.kind = 'consumable'
        AND p.scope = 'enterprise'
        AND p.state = 'active'
        AND p.contract_state = 'active'
),
enterprise_figures AS (
    -- The same for the contracts in view (the package filter applies; the package status filter
    -- does not: these are active).
    SELECT f.* EXCLUDE (workspace_id)
    FROM _viewer_enterprise_figures AS f
    WHERE raw.is_in_view(f.workspace_id, f.contract_id, $workspaces, $contract)
        AND ($package IS NULL OR f.package_id = $package)
)
