-- The visibility layer: the data contract's rules of who sees what, in one place.
--
-- Every query in this folder is composed as the expressions below that it reads (with those
-- they read in turn), followed by its own text; the raw tables (schema `raw`) are named only
-- here. raw.case_days and raw.delivery_days are the usage tables rolled up per entitlement
-- and day (queries/_derived.sql): totals and charts over time read those.
-- Parameters: $viewer (a user_id), $as_of (the day the dataset describes) and the filters:
-- $workspaces (a list; empty means every workspace the viewer can open), $contract and
-- $package (null: all), $status (of packages: 'active', 'inactive' or 'all'), $date_from and
-- $date_to (null: open-ended; they narrow activity, never entitlement totals).
-- $email and $entitlement serve the sign-in and the entitlement detail; $reasons, $service,
-- $delivery_status and $search narrow single lists. Names that start with an underscore are
-- building blocks that queries may not read; `directory` (every user) may be read only by the
-- queries that sign people in. The `_viewer_` expressions hold what a viewer may see of every
-- workspace they can open, whatever the filters: the runner computes each once per viewer and
-- keeps it (dashboard/queries.py, KEPT_EXPRESSIONS), and the expressions after each take what
-- the filters pick from it.
WITH
directory AS (
    -- Every user with their customer: for signing in and the demo mode's user picker only.
    SELECT u.user_id, u.email, u.display_name, u.customer_id, c.name AS customer_name,
        u.is_customer_admin
    FROM raw.users AS u
    JOIN raw.customers AS c ON c.customer_id = u.customer_id
),
viewer AS (
    SELECT u.user_id, u.customer_id, c.name AS customer_name, u.display_name, u.email,
        u.is_customer_admin
    FROM raw.users AS u
    JOIN raw.customers AS c ON c.customer_id = u.customer_id
    WHERE u.user_id = $viewer
),
_app_changes AS (
    -- Grants and revocations made in the app ($access_changes, oldest first): the runner binds
    -- those made in the workspaces of the viewer's customer only, the only ones that matter here.
    SELECT c.change.seq AS seq, c.change.changed_at AS changed_at, c.change.by_user AS by_user,
        c.change.user_id AS user_id, c.change.workspace_id AS workspace_id,
        c.change.role AS role, c.change.action AS action
    FROM (
        SELECT unnest(CAST($access_changes AS STRUCT(seq BIGINT, changed_at VARCHAR, by_user VARCHAR,
            user_id VARCHAR, workspace_id VARCHAR, role VARCHAR, action VARCHAR)[])) AS change
    ) AS c
),
_latest_app_change AS (
    -- The latest change made in the app to each user's role in each workspace.
    SELECT a.user_id, a.workspace_id, a.role, arg_max(a.action, a.seq) AS action
    FROM _app_changes AS a
    GROUP BY a.user_id, a.workspace_id, a.role
),
role_grants AS (
    -- The roles in effect: the imported grants, plus those granted in the app, less those
    -- revoked in the app (the latest change to a user's role in a workspace wins).
    SELECT DISTINCT g.user_id, g.workspace_id, g.role, 'imported' AS source
    FROM raw.role_grants AS g
    ANTI JOIN _latest_app_change AS c
        ON c.user_id = g.user_id AND c.workspace_id = g.workspace_id AND c.role = g.role
            AND c.action = 'revoke'
    UNION ALL
    SELECT c.user_id, c.workspace_id, c.role, 'granted in the app'
    FROM _latest_app_change AS c
    ANTI JOIN raw.role_grants AS g
        ON g.user_id = c.user_id AND g.workspace_id = c.workspace_id AND g.role = c.role
    WHERE c.action = 'grant'
),
_roles_of_viewer AS (
    -- The roles the viewer holds, per workspace.
    SELECT g.workspace_id,
        bool_or(g.role = 'customer_activity') AS customer_activity,
        bool_or(g.role = 'view_all_support_requests') AS view_all_support_requests,
        bool_or(g.role = 'training_manager') AS training_manager
    FROM role_grants AS g
    WHERE g.user_id = $viewer
    GROUP BY g.workspace_id
),
_customer_workspaces AS (
    SELECT w.workspace_id, w.name,
        v.is_customer_admin OR coalesce(m.is_workspace_admin, false) AS is_admin
    FROM raw.workspaces AS w
    JOIN viewer AS v ON v.customer_id = w.customer_id
    LEFT JOIN raw.workspace_members AS m
        ON m.workspace_id = w.workspace_id AND m.user_id = v.user_id
),
openable_workspaces AS (
    -- The workspaces in which the viewer can open the dashboard.
    SELECT w.workspace_id, w.name, w.is_admin,
        coalesce(r.view_all_support_requests, false) AS sees_all_cases,
        w.is_admin OR coalesce(r.training_manager, false) AS sees_learners
    FROM _customer_workspaces AS w
    LEFT JOIN _roles_of_viewer AS r ON r.workspace_id = w.workspace_id
    WHERE w.is_admin OR coalesce(r.customer_activity, false)
),
workspaces_in_view AS (
    SELECT w.workspace_id, w.name, w.is_admin, w.sees_all_cases, w.sees_learners
    FROM openable_workspaces AS w
    WHERE len($workspaces) = 0 OR list_contains($workspaces, w.workspace_id)
),
granters AS (
    -- Who can grant the viewer access: the customer admins of the viewer's customer and the
    -- workspace admins of its workspaces.
    SELECT u.display_name, u.email, 'every workspace (customer admin)' AS grants_in
    FROM raw.users AS u
    JOIN viewer AS v ON v.customer_id = u.customer_id
    WHERE u.is_customer_admin
    UNION ALL
    SELECT u.display_name, u.email, w.name AS grants_in
    FROM raw.workspace_members AS m
    JOIN raw.users AS u ON u.user_id = m.user_id
    JOIN raw.workspaces AS w ON w.workspace_id = m.workspace_id
    JOIN viewer AS v ON v.customer_id = w.customer_id AND v.customer_id = u.customer_id
    WHERE m.is_workspace_admin AND NOT u.is_customer_admin
),
customer_people AS (
    -- Names of the people of the viewer's customer (for primary contacts and the like).
    SELECT u.user_id, u.display_name
    FROM raw.users AS u
    JOIN viewer AS v ON v.customer_id = u.customer_id
),
managed_access AS (
    -- The manage-access page's list: for each workspace the viewer administers, the people who
    -- are members of it or hold a role in it, with the roles in effect.
    SELECT w.workspace_id, w.name AS workspace_name, u.user_id, u.display_name, u.email,
        u.is_customer_admin, coalesce(m.is_workspace_admin, false) AS is_workspace_admin,
        EXISTS (
            SELECT 1 FROM role_grants AS g WHERE g.user_id = u.user_id
                AND g.workspace_id = w.workspace_id AND g.role = 'customer_activity'
        ) AS customer_activity,
        EXISTS (
            SELECT 1 FROM role_grants AS g WHERE g.user_id = u.user_id
                AND g.workspace_id = w.workspace_id AND g.role = 'view_all_support_requests'
        ) AS view_all_support_requests,
        EXISTS (
            SELECT 1 FROM role_grants AS g WHERE g.user_id = u.user_id
                AND g.workspace_id = w.workspace_id AND g.role = 'training_manager'
        ) AS training_manager
    FROM openable_workspaces AS w
    JOIN raw.users AS u ON u.customer_id = (SELECT v.customer_id FROM viewer AS v)
    LEFT JOIN raw.workspace_members AS m
        ON m.workspace_id = w.workspace_id AND m.user_id = u.user_id
    WHERE w.is_admin
        AND (
            m.user_id IS NOT NULL
            OR u.user_id IN (
                SELECT g.user_id FROM role_grants AS g WHERE g.workspace_id = w.workspace_id
            )
        )
),
managed_group_access AS (
    -- The groups that may see the support requests of each workspace the viewer administers.
    SELECT a.workspace_id, w.name AS workspace_name, g.group_id, g.name AS group_name,
        (SELECT count(*) FROM raw.group_members AS m WHERE m.group_id = g.group_id) AS members
    FROM raw.group_case_access AS a
    JOIN raw.groups AS g ON g.group_id = a.group_id
    JOIN openable_workspaces AS w ON w.workspace_id = a.workspace_id
    WHERE w.is_admin
),
access_audit AS (
    -- Every change to access made in the app in the workspaces the viewer administers.
    SELECT c.seq, c.changed_at, c.by_user, b.display_name AS changed_by, c.action, c.role,
        c.user_id, u.display_name AS user_name, c.workspace_id, w.name AS workspace_name
    FROM _app_changes AS c
    JOIN openable_workspaces AS w ON w.workspace_id = c.workspace_id
    LEFT JOIN customer_people AS u ON u.user_id = c.user_id
    LEFT JOIN customer_people AS b ON b.user_id = c.by_user
    WHERE w.is_admin
),
_contracts AS (
    -- Every contract of the viewer's customer with its state on the as-of day: for lookups only.
    SELECT c.contract_id, c.workspace_id, c.contract_number, c.name, c.start_date, c.end_date,
        c.renews_contract_id,
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
    -- admin, mapped to none. Each with whether it is `renewed` (another contract of the customer
    -- names it in renews_contract_id, whether the viewer may see that one or not) and
    -- `renewed_by`: the number of its renewal (of several, the first to start among those the
    -- viewer may see), "a contract you cannot see" when the viewer may see none of them, null
    -- when it is not renewed.
    SELECT c.contract_id, c.workspace_id, w.name AS workspace_name, c.contract_number, c.name,
        c.start_date, c.end_date, c.renews_contract_id, c.state, c.days_left,
        r.renewals IS NOT NULL AS renewed,
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
                    OR (k.workspace_id IS NULL AND (SELECT v.is_customer_admin FROM viewer AS v)),
                    false
                ) AS seen
            FROM _contracts AS k
            WHERE k.renews_contract_id IS NOT NULL
        ) AS n
        GROUP BY n.renews_contract_id
    ) AS r ON r.renews_contract_id = c.contract_id
    WHERE w.workspace_id IS NOT NULL
        OR (c.workspace_id IS NULL AND (SELECT v.is_customer_admin FROM viewer AS v))
),
contracts_in_workspaces AS (
    -- The contracts the viewer may see among the workspaces picked: mapped to one of them, or,
    -- for a customer admin with no workspace picked, mapped to none.
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
        CAST(p.end_date - $as_of AS INTEGER) BETWEEN 0 AND 90 AS expiring_soon,
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
_previous_terms AS (
    -- Each contract the viewer may see that renews another they may see, with that contract.
    SELECT c.contract_id AS current_id, p.contract_id AS previous_id,
        p.contract_number AS previous_number
    FROM _viewer_contracts AS c
    JOIN _viewer_contracts AS p ON p.contract_id = c.renews_contract_id
),
_entitlements_wide AS (
    -- The entitlements of the contracts that renew another, and of the contracts they renew.
    SELECT e.entitlement_id, e.package_id, k.contract_id, e.category, e.name, e.kind, e.unit,
        e.purchased
    FROM raw.entitlements AS e
    JOIN raw.packages AS k ON k.package_id = e.package_id
    WHERE k.contract_id IN (SELECT t.current_id FROM _previous_terms AS t)
        OR k.contract_id IN (SELECT t.previous_id FROM _previous_terms AS t)
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
),
_viewer_case_workspaces AS (
    -- The workspaces the viewer can open, each with whether the viewer sees every case in it: as
    -- an admin, with view_all_support_requests, or through a group that may see its cases.
    SELECT w.workspace_id,
        w.is_admin OR w.sees_all_cases OR w.workspace_id IN (
            SELECT a.workspace_id
            FROM raw.group_case_access AS a
            JOIN raw.group_members AS m ON m.group_id = a.group_id
            JOIN raw.groups AS g ON g.group_id = a.group_id
            JOIN viewer AS v ON v.customer_id = g.customer_id
            WHERE m.user_id = $viewer
        ) AS sees_all
    FROM openable_workspaces AS w
),
_case_workspaces AS (
    -- The same for the workspaces in view.
    SELECT w.*
    FROM _viewer_case_workspaces AS w
    WHERE len($workspaces) = 0 OR list_contains($workspaces, w.workspace_id)
),
_cases_in_view AS (
    -- Every case of the workspaces in view that the other filters pick, visible or not, from
    -- each of the three files that hold them (`copy`): cases.parquet, sorted by workspace,
    -- contract, type and time; raw.case_list, by workspace and newest first; and
    -- raw.case_places, by contract and place in proof of delivery's list. Every reader takes
    -- one copy (through visible_cases, newest_visible_cases or placed_visible_cases); DuckDB
    -- then reads the others not at all.
    SELECT c.*, w.sees_all
    FROM (
        SELECT *, NULL AS place, 'cases' AS copy FROM raw.cases
        UNION ALL
        SELECT *, NULL AS place, 'case_list' AS copy FROM raw.case_list
        UNION ALL
        SELECT *, 'case_places' AS copy FROM raw.case_places
    ) AS c
    JOIN _case_workspaces AS w ON w.workspace_id = c.workspace_id
    WHERE (
            $contract IS NULL
            OR c.contract_id = $contract
            AND c.contract_id IN (SELECT k.contract_id FROM contracts_in_view AS k)
        )
        AND (
            $package IS NULL
            OR c.entitlement_id IN (
                SELECT e.entitlement_id FROM _entitlements AS e WHERE e.package_id = $package
            )
        )
        AND ($date_from IS NULL OR c.created_at >= CAST($date_from AS TIMESTAMP WITH TIME ZONE))
        AND (
            $date_to IS NULL
            OR c.created_at < CAST($date_to AS TIMESTAMP WITH TIME ZONE) + INTERVAL 1 DAY
        )
),
_case_contracts AS (
    -- Every contract of the viewer's customer as a case names it: its number and name only if
    -- the viewer may see the contract (_viewer_contracts).
    SELECT k.contract_id, k.workspace_id, k.end_date, s.contract_id IS NOT NULL AS seen,
        s.contract_number, s.name AS contract_name
    FROM _contracts AS k
    LEFT JOIN _viewer_contracts AS s ON s.contract_id = k.contract_id
),
_visible_case_copies AS (
    -- The cases in view that the viewer may see, each with the additional-case reasons; once
    -- from each copy. A visible case may be booked against a contract the viewer may not see
    -- (mapped to no workspace, or to one they cannot open): its id, number and name are then
    -- null, and `contract` says "a contract you cannot see". The reasons still count it.
    -- `shared`: the viewer sees it only because it was shared with them (case_shares).
    SELECT c.copy, c.case_id, c.workspace_id,
        CASE WHEN k.seen THEN c.contract_id END AS contract_id, c.entitlement_id, c.title,
        c.case_type, c.service_code, c.severity, c.status, c.created_at, c.closed_at,
        c.primary_contact_id, c.hours, c.place,
        k.contract_number, k.contract_name,
        CASE
            WHEN c.contract_id IS NOT NULL
                THEN coalesce(k.contract_number, 'a contract you cannot see')
        END AS contract,
        c.contract_id IS NULL OR c.entitlement_id IS NULL AS no_entitlement,
        coalesce(k.end_date < $as_of, false) AS expired_contract,
        c.contract_id IS NOT NULL
            AND (k.workspace_id IS NULL OR k.workspace_id <> c.workspace_id) AS unmapped_contract,
        c.service_code IN ('SU', 'DSA', 'X85', 'REC') AS special_service,
        NOT c.sees_all AND c.primary_contact_id <> $viewer AS shared
    FROM _cases_in_view AS c
    LEFT JOIN _case_contracts AS k ON k.contract_id = c.contract_id
    WHERE c.sees_all
        OR c.primary_contact_id = $viewer
        OR c.case_id IN (SELECT s.case_id FROM raw.case_shares AS s WHERE s.user_id = $viewer)
),
visible_cases AS (
    -- The cases in view that the viewer may see, read from cases.parquet: for what one
    -- contract's cases, or all of them, are read for (proof of delivery, an entitlement's rows).
    SELECT * EXCLUDE (copy, place) FROM _visible_case_copies WHERE copy = 'cases'
),
newest_visible_cases AS (
    -- The same cases read from the copy by workspace and newest first: for lists of the newest
    -- cases, which then read only the newest row groups of each workspace (DuckDB's top-N skips
    -- the older ones). A list's search ($search, the words typed; empty: every case) narrows
    -- them to the case whose number was typed and those whose title holds the words typed.
    SELECT * EXCLUDE (copy, place)
    FROM _visible_case_copies
    WHERE copy = 'case_list' AND raw.is_found(case_id, title, $search)
),
placed_visible_cases AS (
    -- The same cases read from the copy by contract and place (raw.case_places), with their
    -- place: for proof of delivery's list, whose first rows are then a row group or two.
    SELECT * EXCLUDE (copy) FROM _visible_case_copies WHERE copy = 'case_places'
),
_viewer_case_groups AS (
    -- The cases of the workspaces the viewer can open rolled up per workspace, contract,
    -- entitlement, day, type and service (raw.case_groups), visible or not; and once more
    -- (`seen_one_by_one`), in the workspaces where the viewer does not see every case, the ones
    -- they do see: their own (raw.contact_case_groups, on disk by contact, so that one viewer's
    -- cases are a row group or two and a viewer who is nobody's contact reads none) and those
    -- shared with them that are not their own. Each with whether the viewer sees every case of
    -- the workspace and the additional-case reasons of the group; and, for the filters, whether
    -- the viewer may see its contract and where that is mapped, and the package of its
    -- entitlement among those of the contracts the viewer may see, with that package's contract
    -- and where it is mapped.
    SELECT v.workspace_id, v.contract_id, v.entitlement_id, v.day, v.case_type, v.service_code,
        v.cases, v.hours, w.sees_all, v.seen_one_by_one, v.shared,
        c.contract_id IS NOT NULL AS contract_seen, c.workspace_id AS contract_workspace_id,
        e.package_id, e.contract_id AS package_contract_id,
        e.workspace_id AS package_workspace_id,
        v.contract_id IS NULL OR v.entitlement_id IS NULL AS no_entitlement,
        coalesce(k.end_date < $as_of, false) AS expired_contract,
        v.contract_id IS NOT NULL
            AND (k.workspace_id IS NULL OR k.workspace_id <> v.workspace_id) AS unmapped_contract,
        v.service_code IN ('SU', 'DSA', 'X85', 'REC') AS special_service
    FROM (
        SELECT g.workspace_id, g.contract_id, g.entitlement_id, g.day, g.case_type,
            g.service_code, g.cases, g.hours, false AS seen_one_by_one, false AS shared
        FROM raw.case_groups AS g
        UNION ALL
        SELECT o.workspace_id, o.contract_id, o.entitlement_id, o.day, o.case_type,
            o.service_code, o.cases, o.hours, true, false
        FROM raw.contact_case_groups AS o
        WHERE o.primary_contact_id = $viewer
        UNION ALL
        SELECT s.workspace_id, s.contract_id, s.entitlement_id, s.day, s.case_type,
            s.service_code, s.cases, s.hours, true, true  -- `shared`: seen only through it
        FROM raw.shared_case_groups AS s
        WHERE s.user_id = $viewer AND s.primary_contact_id <> $viewer
    ) AS v
    JOIN _viewer_case_workspaces AS w
        ON w.workspace_id = v.workspace_id AND NOT (v.seen_one_by_one AND w.sees_all)
    LEFT JOIN _contracts AS k ON k.contract_id = v.contract_id
    LEFT JOIN _viewer_contracts AS c ON c.contract_id = v.contract_id
    LEFT JOIN _viewer_entitlements AS e ON e.entitlement_id = v.entitlement_id
),
_case_groups_of_view AS (
    -- The same for the workspaces in view, that the filters other than dates pick: with a
    -- contract picked, its cases if it is in view, whichever workspace it is mapped to; with a
    -- package picked, the cases of its entitlements if it is a package of the contracts in view.
    SELECT g.* EXCLUDE (contract_seen, contract_workspace_id, package_id, package_contract_id,
        package_workspace_id)
    FROM _viewer_case_groups AS g
    WHERE (len($workspaces) = 0 OR list_contains($workspaces, g.workspace_id))
        AND (
            $contract IS NULL
            OR g.contract_seen
            AND raw.is_in_view(g.contract_workspace_id, g.contract_id, $workspaces, $contract)
        )
        AND (
            $package IS NULL
            OR g.package_id = $package
            AND raw.is_in_view(
                g.package_workspace_id, g.package_contract_id, $workspaces, $contract
            )
        )
),
_case_groups_in_view AS (
    -- The cases in view in the date range, visible or not: what totals and charts read, not
    -- the millions of cases.
    SELECT g.* EXCLUDE (seen_one_by_one)
    FROM _case_groups_of_view AS g
    WHERE NOT g.seen_one_by_one
        AND ($date_from IS NULL OR g.day >= $date_from)
        AND ($date_to IS NULL OR g.day <= $date_to)
),
_cases_seen_one_by_one AS (
    -- The cases seen one by one in the date range.
    SELECT g.* EXCLUDE (seen_one_by_one)
    FROM _case_groups_of_view AS g
    WHERE g.seen_one_by_one
        AND ($date_from IS NULL OR g.day >= $date_from)
        AND ($date_to IS NULL OR g.day <= $date_to)
),
visible_case_groups AS (
    -- What the viewer may see of the cases in view in the date range, rolled up like
    -- raw.case_groups, with the additional-case reasons of each group and whether the viewer
    -- sees its cases only because they were shared with them (`shared`).
    SELECT g.workspace_id, g.contract_id, g.entitlement_id, g.day, g.case_type, g.service_code,
        g.cases, g.hours, g.no_entitlement, g.expired_contract, g.unmapped_contract,
        g.special_service, g.shared
    FROM _case_groups_in_view AS g
    WHERE g.sees_all
    UNION ALL
    SELECT o.workspace_id, o.contract_id, o.entitlement_id, o.day, o.case_type, o.service_code,
        o.cases, o.hours, o.no_entitlement, o.expired_contract, o.unmapped_contract,
        o.special_service, o.shared
    FROM _cases_seen_one_by_one AS o
),
additional_case_groups AS (
    -- The roll-up of the visible additional cases in view: those with at least one reason.
    SELECT g.*
    FROM visible_case_groups AS g
    WHERE g.no_entitlement OR g.expired_contract OR g.unmapped_contract OR g.special_service
),
picked_additional_case_groups AS (
    -- The roll-up of the visible additional cases in view that $reasons and $service pick.
    SELECT g.*
    FROM visible_case_groups AS g
    WHERE raw.is_picked_additional(g.no_entitlement, g.expired_contract, g.unmapped_contract,
            g.special_service, g.service_code, $reasons, $service)
),
picked_additional_cases AS (
    -- The visible additional cases in view with one of the reasons $reasons (a list; empty:
    -- any) and of the service $service (null: any).
    SELECT c.*
    FROM newest_visible_cases AS c
    WHERE raw.is_picked_additional(c.no_entitlement, c.expired_contract, c.unmapped_contract,
            c.special_service, c.service_code, $reasons, $service)
),
_viewer_consumption_events AS (
    -- Every dated row of consumption of the consumable entitlements of the contracts the viewer
    -- may see, whenever, visible or not (totals count all consumption; raw.dated_usage): day,
    -- category, unit and amount. Named contacts, a headcount, have none.
    SELECT u.day, e.entitlement_id, e.category, e.unit, u.amount, e.contract_id, e.workspace_id
    FROM raw.dated_usage AS u
    JOIN _viewer_entitlements AS e ON e.entitlement_id = u.entitlement_id
),
_consumption_events_of_view AS (
    -- The same for the contracts in view.
    SELECT u.* EXCLUDE (contract_id, workspace_id)
    FROM _viewer_consumption_events AS u
    WHERE raw.is_in_view(u.workspace_id, u.contract_id, $workspaces, $contract)
),
consumption_events AS (
    -- The same in the date range.
    SELECT e.*
    FROM _consumption_events_of_view AS e
    WHERE ($date_from IS NULL OR e.day >= $date_from)
        AND ($date_to IS NULL OR e.day <= $date_to)
),
entitlement_activity AS (
    -- The detail rows of the entitlement $entitlement (of the packages in view) in the date
    -- range: support requests the viewer may see, deliveries, enrollments (learner names only
    -- for those who may see them), named contacts and assessments. `counts` says whether the
    -- row counts towards used (1), scheduled (2) or nothing (0).
    SELECT CAST(c.created_at AS DATE) AS day, 'support request' AS record, c.case_id AS record_id,
        c.title, p.display_name AS person, c.status, c.hours AS amount,
        CAST(NULL AS DOUBLE) AS hours_delivered, 1 AS counts
    FROM visible_cases AS c
    LEFT JOIN customer_people AS p ON p.user_id = c.primary_contact_id
    WHERE c.entitlement_id = $entitlement
    UNION ALL
    SELECT d.date, 'delivery', d.delivery_id, d.title, d.delivered_by, d.status, d.quantity,
        d.hours_delivered,
        CASE d.status WHEN 'delivered' THEN 1 WHEN 'scheduled' THEN 2 ELSE 0 END
    FROM raw.deliveries AS d
    JOIN _entitlements AS e ON e.entitlement_id = d.entitlement_id
    WHERE d.entitlement_id = $entitlement
        AND ($date_from IS NULL OR d.date >= $date_from)
        AND ($date_to IS NULL OR d.date <= $date_to)
    UNION ALL
    SELECT n.enrolled_on, 'enrollment', n.enrollment_id, n.course,
        CASE WHEN coalesce(w.sees_learners, v.is_customer_admin) THEN n.learner_name END,
        n.status, 1, NULL, CASE WHEN n.status <> 'cancelled' THEN 1 ELSE 0 END
    FROM raw.enrollments AS n
    JOIN _entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    LEFT JOIN openable_workspaces AS w ON w.workspace_id = p.workspace_id
    CROSS JOIN viewer AS v
    WHERE n.entitlement_id = $entitlement
        AND ($date_from IS NULL OR n.enrolled_on >= $date_from)
        AND ($date_to IS NULL OR n.enrolled_on <= $date_to)
    UNION ALL
    SELECT t.added_on, 'named contact', t.contact_id, t.name, t.email,
        CASE WHEN t.removed_on IS NULL OR t.removed_on > $as_of THEN 'active' ELSE 'removed' END,
        1, NULL, CASE WHEN t.removed_on IS NULL OR t.removed_on > $as_of THEN 1 ELSE 0 END
    FROM raw.contacts AS t
    JOIN _entitlements AS e ON e.entitlement_id = t.entitlement_id
    WHERE t.entitlement_id = $entitlement
    UNION ALL
    SELECT coalesce(a.started_on, a.completed_on), 'assessment', a.assessment_id,
        a.name || ' (' || a.technology || ')', NULL, a.status, 1, NULL,
        CASE WHEN a.status <> 'cancelled' THEN 1 ELSE 0 END
    FROM raw.assessments AS a
    JOIN _entitlements AS e ON e.entitlement_id = a.entitlement_id
    WHERE a.entitlement_id = $entitlement
),
_dated_usage AS (
    -- The same, day, entitlement and amount: what the burn rate is measured on.
    SELECT e.day, e.entitlement_id, e.amount
    FROM _consumption_events_of_view AS e
),
_burn AS (
    -- Each forecastable entitlement's burn window: the trailing 90 days up to the as-of day, or
    -- the days since its package started when that is shorter; and what was used in it.
    SELECT f.entitlement_id,
        least(90, CAST($as_of - f.start_date AS INTEGER) + 1) AS window_days,
        (
            SELECT coalesce(sum(u.amount), 0) FROM _viewer_consumption_events AS u
            WHERE u.entitlement_id = f.entitlement_id
                AND u.day > $as_of - INTERVAL 90 DAY AND u.day <= $as_of
                AND u.day >= f.start_date
        ) AS used_in_window
    FROM _viewer_entitlement_figures AS f
    WHERE f.kind = 'consumable' AND f.purchased IS NOT NULL AND f.category <> 'contacts'
        AND f.start_date <= $as_of
),
burn_history AS (
    -- The dated consumption of the entitlement $entitlement (of the packages in view) per day.
    SELECT u.day, sum(u.amount) AS amount
    FROM _dated_usage AS u
    WHERE u.entitlement_id = $entitlement
        AND u.entitlement_id IN (SELECT f.entitlement_id FROM entitlement_figures AS f)
    GROUP BY u.day
),
_usage_events AS (
    -- How many rows of consumption count towards used of each forecastable entitlement, whole
    -- term, visible or not: its cases (reactive, advisory), delivered deliveries (proactive,
    -- credits), enrollments and assessments not cancelled (education, assessments). Named
    -- contacts are not forecast. The sizing suggests nothing from fewer than three.
    SELECT e.entitlement_id, CAST(sum(c.cases) AS INTEGER) AS events
    FROM raw.case_days AS c
    JOIN _viewer_entitlements AS e ON e.entitlement_id = c.entitlement_id
    WHERE e.category IN ('reactive', 'advisory')
        AND e.entitlement_id IN (SELECT b.entitlement_id FROM _burn AS b)
    GROUP BY e.entitlement_id
    UNION ALL
    SELECT e.entitlement_id, CAST(sum(d.deliveries) AS INTEGER)
    FROM raw.delivery_days AS d
    JOIN _viewer_entitlements AS e ON e.entitlement_id = d.entitlement_id
    WHERE e.category IN ('proactive', 'credits') AND d.status = 'delivered'
        AND e.entitlement_id IN (SELECT b.entitlement_id FROM _burn AS b)
    GROUP BY e.entitlement_id
    UNION ALL
    SELECT e.entitlement_id, CAST(count(*) AS INTEGER)
    FROM raw.enrollments AS n
    JOIN _viewer_entitlements AS e ON e.entitlement_id = n.entitlement_id
    WHERE e.category = 'education' AND n.status <> 'cancelled'
        AND e.entitlement_id IN (SELECT b.entitlement_id FROM _burn AS b)
    GROUP BY e.entitlement_id
    UNION ALL
    SELECT e.entitlement_id, CAST(count(*) AS INTEGER)
    FROM raw.assessments AS a
    JOIN _viewer_entitlements AS e ON e.entitlement_id = a.entitlement_id
    WHERE e.category = 'assessments' AND a.status <> 'cancelled'
        AND e.entitlement_id IN (SELECT b.entitlement_id FROM _burn AS b)
    GROUP BY e.entitlement_id
),
_viewer_renewal_forecast AS (
    -- Per consumable entitlement of the packages of the contracts the viewer may see (named
    -- contacts aside): the burn rate, when it runs out at that rate, what it leaves unused at
    -- expiry, and a status; and for sizing the next term, the days of the term elapsed (from
    -- the package's start to the as-of day, both included, at most the term's length) and how
    -- many rows of consumption count towards used (`usage_events`).
    SELECT f.contract_id, f.contract_number, f.package_id, f.package_name, f.scope,
        f.entitlement_id, f.category, f.name, f.unit, f.start_date, f.end_date, f.days_left,
        f.purchased, f.used, f.scheduled, f.remaining, f.utilisation, b.window_days,
        b.used_in_window, b.used_in_window / b.window_days AS burn_per_day,
        CAST(f.end_date - f.start_date AS INTEGER) + 1 AS term_days,
        least(1.0, (CAST($as_of - f.start_date AS INTEGER) + 1)
            / (CAST(f.end_date - f.start_date AS INTEGER) + 1)) AS term_elapsed,
        least(CAST($as_of - f.start_date AS INTEGER) + 1,
            CAST(f.end_date - f.start_date AS INTEGER) + 1) AS days_elapsed,
        coalesce(n.events, 0) AS usage_events,
        CASE
            WHEN f.end_date < $as_of THEN NULL
            WHEN f.remaining <= 0 THEN $as_of
            WHEN b.used_in_window > 0
                THEN CAST($as_of + CAST(ceil(f.remaining / (b.used_in_window / b.window_days))
                    AS INTEGER) AS DATE)
        END AS projected_exhaustion_date,
        CASE
            WHEN f.end_date < $as_of THEN greatest(f.remaining, 0)
            ELSE greatest(
                f.remaining - b.used_in_window / b.window_days * f.days_left, 0
            )
        END AS projected_unused_at_expiry,
        f.workspace_id, f.status
    FROM _viewer_entitlement_figures AS f
    JOIN _burn AS b ON b.entitlement_id = f.entitlement_id
    LEFT JOIN _usage_events AS n ON n.entitlement_id = f.entitlement_id
),
renewal_forecast AS (
    -- The same for the packages in view.
    SELECT f.* EXCLUDE (workspace_id, status)
    FROM _viewer_renewal_forecast AS f
    WHERE raw.is_package_in_view(
        f.workspace_id, f.contract_id, f.package_id, f.status, $workspaces, $contract,
        $package, $status
    )
),
visible_cases_by_contract AS (
    -- The cases booked against the contracts in view that the viewer may see, whatever
    -- workspace they were raised in and whatever the package filters say, opened in the date
    -- range: what the lists of what was consumed against a contract list (proof of delivery,
    -- an entitlement's usage history). There the workspace filter picks contracts, not cases.
    -- A case is booked against a contract when it names it, or names no contract and one of
    -- the contract's entitlements. The viewer may see it as any case (_visible_case_copies):
    -- raised in a workspace they can open, where they see every case, or theirs, or shared
    -- with them; case_groups_by_contract counts the others. Read from raw.case_places (by
    -- contract and place), with its place, its contract's number and its entitlement's
    -- package (null when it has no entitlement).
    SELECT c.case_id, c.workspace_id, coalesce(k.contract_id, p.contract_id) AS contract_id,
        c.entitlement_id, c.title, c.case_type, c.service_code, c.severity, c.status,
        c.created_at, c.closed_at, c.primary_contact_id, c.hours, c.place,
        coalesce(k.contract_number, p.contract_number) AS contract_number,
        p.name AS package_name
    FROM raw.case_places AS c
    JOIN _viewer_case_workspaces AS w ON w.workspace_id = c.workspace_id
    LEFT JOIN contracts_in_view AS k ON k.contract_id = c.contract_id
    LEFT JOIN _entitlements AS e ON e.entitlement_id = c.entitlement_id
    LEFT JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE ($contract IS NULL OR c.contract_id = $contract OR c.contract_id IS NULL)
        AND (k.contract_id IS NOT NULL OR c.contract_id IS NULL AND p.package_id IS NOT NULL)
        AND (
            w.sees_all
            OR c.primary_contact_id = $viewer
            OR c.case_id IN (SELECT s.case_id FROM raw.case_shares AS s WHERE s.user_id = $viewer)
        )
        AND ($date_from IS NULL OR c.created_at >= CAST($date_from AS TIMESTAMP WITH TIME ZONE))
        AND (
            $date_to IS NULL
            OR c.created_at < CAST($date_to AS TIMESTAMP WITH TIME ZONE) + INTERVAL 1 DAY
        )
),
case_groups_by_contract AS (
    -- The cases booked against the contracts in view (as visible_cases_by_contract books them),
    -- whatever workspace they were raised in and whatever the package filters say, opened in
    -- the date range, per entitlement, day and type: how many and their hours, every one of
    -- them (raw.case_groups: totals count all consumption), how many of them the viewer may
    -- see (_viewer_case_groups) and how many their permissions hide.
    SELECT g.entitlement_id, g.day, g.case_type, CAST(sum(g.cases) AS BIGINT) AS requests,
        coalesce(sum(g.hours), 0) AS hours, CAST(sum(g.visible) AS BIGINT) AS visible,
        CAST(sum(g.cases) - sum(g.visible) AS BIGINT) AS hidden
    FROM (
        SELECT a.contract_id, a.entitlement_id, a.day, a.case_type, a.cases, a.hours,
            0 AS visible
        FROM raw.case_groups AS a
        UNION ALL
        SELECT v.contract_id, v.entitlement_id, v.day, v.case_type, 0, 0, v.cases
        FROM _viewer_case_groups AS v
        WHERE v.sees_all OR v.seen_one_by_one
    ) AS g
    LEFT JOIN contracts_in_view AS k ON k.contract_id = g.contract_id
    LEFT JOIN _entitlements AS e ON e.entitlement_id = g.entitlement_id
    WHERE (k.contract_id IS NOT NULL OR g.contract_id IS NULL AND e.entitlement_id IS NOT NULL)
        AND ($date_from IS NULL OR g.day >= $date_from)
        AND ($date_to IS NULL OR g.day <= $date_to)
    GROUP BY g.entitlement_id, g.day, g.case_type
),
_delivered_items AS (
    -- delivered_items (below) before the search.
    SELECT d.category, d.date AS day, d.title AS item, d.delivery_id AS reference,
        d.quantity, d.unit, d.hours_delivered, p.contract_number, p.contract_number AS contract,
        p.name AS package_name, d.place
    FROM raw.delivery_places AS d
    JOIN _entitlements AS e ON e.entitlement_id = d.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE ($contract IS NULL OR d.contract_id = $contract)
        AND ($date_from IS NULL OR d.date >= $date_from)
        AND ($date_to IS NULL OR d.date <= $date_to)
    UNION ALL
    SELECT c.case_type, CAST(c.created_at AS DATE), c.title, c.case_id, c.hours, 'hours', NULL,
        c.contract_number, c.contract_number, c.package_name, c.place
    FROM visible_cases_by_contract AS c
    UNION ALL
    SELECT 'education', n.enrolled_on, n.course, n.enrollment_id, 1, 'seats', NULL,
        p.contract_number, p.contract_number, p.name,
        'education ' || CAST(n.enrolled_on AS VARCHAR) || ' ' || n.enrollment_id
    FROM raw.enrollments AS n
    JOIN _entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE n.status <> 'cancelled' AND e.kind = 'consumable'
        AND ($date_from IS NULL OR n.enrolled_on >= $date_from)
        AND ($date_to IS NULL OR n.enrolled_on <= $date_to)
    UNION ALL
    SELECT 'assessments', a.started_on, a.name || ' (' || a.technology || ')', a.assessment_id,
        1, 'assessments', NULL, p.contract_number, p.contract_number, p.name,
        'assessments ' || CAST(a.started_on AS VARCHAR) || ' ' || a.assessment_id
    FROM raw.assessments AS a
    JOIN _entitlements AS e ON e.entitlement_id = a.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE a.status IN ('in_progress', 'completed') AND a.started_on IS NOT NULL
        AND e.kind = 'consumable'
        AND ($date_from IS NULL OR a.started_on >= $date_from)
        AND ($date_to IS NULL OR a.started_on <= $date_to)
),
delivered_items AS (
    -- What was delivered under the contracts in view in the date range, whatever the package
    -- filters say, that the list's search ($search) finds by reference or item (every item when
    -- empty): proactive deliveries and credits redeemed, the support requests booked against
    -- them that the viewer may see, whatever workspace they were raised in (the workspace
    -- filter picks contracts here, not cases; see visible_cases_by_contract), with their hours
    -- (and their entitlement's package, if any), education seats taken (no learner details)
    -- and assessments begun; each with its contract's number (`contract` too) and its place
    -- in the list (by category, day and reference; see raw.case_places).
    SELECT * FROM _delivered_items AS d WHERE raw.is_found(d.reference, d.item, $search)
),
delivered_totals AS (
    -- What delivered_items holds, counted and summed per category and unit, from the roll-ups:
    -- every support request booked against the contracts in view counts, whether or not the
    -- viewer may see it (totals count all consumption); `hidden`: how many of `items` the
    -- viewer's permissions hide, which the list does not show.
    SELECT e.category, e.unit, sum(d.deliveries) AS items, sum(d.quantity) AS quantity,
        sum(d.hours_delivered) AS hours_delivered, 0 AS hidden
    FROM raw.delivery_days AS d
    JOIN _entitlements AS e ON e.entitlement_id = d.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE d.status = 'delivered' AND e.kind = 'consumable'
        AND e.category IN ('proactive', 'credits')
        AND ($date_from IS NULL OR d.day >= $date_from)
        AND ($date_to IS NULL OR d.day <= $date_to)
    GROUP BY e.category, e.unit
    UNION ALL
    SELECT g.case_type, 'hours', sum(g.requests), sum(g.hours), NULL, sum(g.hidden)
    FROM case_groups_by_contract AS g
    GROUP BY g.case_type
    UNION ALL
    SELECT 'education', 'seats', count(*), count(*), NULL, 0
    FROM raw.enrollments AS n
    JOIN _entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE n.status <> 'cancelled' AND e.kind = 'consumable'
        AND ($date_from IS NULL OR n.enrolled_on >= $date_from)
        AND ($date_to IS NULL OR n.enrolled_on <= $date_to)
    HAVING count(*) > 0
    UNION ALL
    SELECT 'assessments', 'assessments', count(*), count(*), NULL, 0
    FROM raw.assessments AS a
    JOIN _entitlements AS e ON e.entitlement_id = a.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    WHERE a.status IN ('in_progress', 'completed') AND a.started_on IS NOT NULL
        AND e.kind = 'consumable'
        AND ($date_from IS NULL OR a.started_on >= $date_from)
        AND ($date_to IS NULL OR a.started_on <= $date_to)
    HAVING count(*) > 0
),
_term_shares AS (
    -- Each contract active on the as-of day that the viewer may see and that renews another
    -- they may see (an upcoming or expired contract is never "this term"): the share of its
    -- term elapsed (from its start to the as-of day, both included), and the last day of the
    -- same share of the previous term's days (rounded to the nearest day), up to which the
    -- previous term is counted like for like.
    SELECT t.current_id, c.contract_number, t.previous_id, t.previous_number, s.term_elapsed,
        CAST(p.start_date + CAST(round(s.term_elapsed
            * (CAST(p.end_date - p.start_date AS INTEGER) + 1)) AS INTEGER) - 1 AS DATE)
            AS previous_compared_to
    FROM _previous_terms AS t
    JOIN _viewer_contracts AS c ON c.contract_id = t.current_id
    JOIN _viewer_contracts AS p ON p.contract_id = t.previous_id
    CROSS JOIN LATERAL (
        SELECT least(1.0, (CAST($as_of - c.start_date AS INTEGER) + 1)
            / (CAST(c.end_date - c.start_date AS INTEGER) + 1)) AS term_elapsed
    ) AS s
    WHERE c.state = 'active'
),
_same_share_usage AS (
    -- What each consumable entitlement of a previous term had used by that term's day of the
    -- same share (_term_shares), per contract renewing it: its dated consumption up to that
    -- day, and named contacts added by then and not removed by then.
    SELECT s.current_id, u.entitlement_id, sum(u.amount) AS used
    FROM _term_shares AS s
    JOIN _entitlements_wide AS e ON e.contract_id = s.previous_id
    JOIN _viewer_consumption_events AS u ON u.entitlement_id = e.entitlement_id
    WHERE u.day <= s.previous_compared_to
    GROUP BY s.current_id, u.entitlement_id
    UNION ALL
    SELECT s.current_id, t.entitlement_id, count(*)
    FROM _term_shares AS s
    JOIN _entitlements_wide AS e ON e.contract_id = s.previous_id
    JOIN raw.contacts AS t ON t.entitlement_id = e.entitlement_id
    WHERE e.kind = 'consumable' AND e.category = 'contacts'
        AND t.added_on <= s.previous_compared_to
        AND (t.removed_on IS NULL OR t.removed_on > s.previous_compared_to)
    GROUP BY s.current_id, t.entitlement_id
),
_viewer_term_comparison AS (
    -- Each contract active on the as-of day that the viewer may see and that renews another
    -- they may see, by category and unit (consumable entitlements): purchased and used this
    -- term so far, against the previous term over the same share of its days
    -- (`used_previous_term_same_share`, up to `previous_compared_to`), and the previous term
    -- whole apart.
    SELECT s.current_id AS contract_id, s.contract_number, s.previous_id,
        s.previous_number AS previous_contract_number, e.category, e.unit, s.term_elapsed,
        s.previous_compared_to,
        sum(CASE WHEN e.contract_id = s.current_id THEN e.purchased END) AS purchased_this_term,
        sum(CASE WHEN e.contract_id = s.current_id THEN coalesce(u.used, 0) END)
            AS used_this_term,
        sum(CASE WHEN e.contract_id = s.previous_id THEN e.purchased END)
            AS purchased_previous_term,
        sum(CASE WHEN e.contract_id = s.previous_id THEN coalesce(h.used, 0) END)
            AS used_previous_term_same_share,
        sum(CASE WHEN e.contract_id = s.previous_id THEN coalesce(u.used, 0) END)
            AS used_previous_term
    FROM _term_shares AS s
    JOIN _entitlements_wide AS e ON e.contract_id IN (s.current_id, s.previous_id)
    LEFT JOIN _usage AS u ON u.entitlement_id = e.entitlement_id
    LEFT JOIN _same_share_usage AS h
        ON h.current_id = s.current_id AND h.entitlement_id = e.entitlement_id
    WHERE e.kind = 'consumable'
    GROUP BY s.current_id, s.contract_number, s.previous_id, s.previous_number, s.term_elapsed,
        s.previous_compared_to, e.category, e.unit
),
term_comparison AS (
    -- The same for each contract in view that renews another among the workspaces picked.
    SELECT t.* EXCLUDE (previous_id)
    FROM _viewer_term_comparison AS t
    WHERE t.contract_id IN (SELECT c.contract_id FROM contracts_in_view AS c)
        AND t.previous_id IN (SELECT p.contract_id FROM contracts_in_workspaces AS p)
),
case_totals AS (
    -- Support requests in view by type, counted whole (totals count all consumption), with how
    -- many of them the viewer may see.
    SELECT t.case_type, CAST(sum(t.requests) AS BIGINT) AS requests,
        coalesce(sum(t.hours), 0) AS hours, CAST(sum(t.visible) AS BIGINT) AS visible,
        CAST(sum(t.requests) - sum(t.visible) AS BIGINT) AS hidden
    FROM (
        SELECT g.case_type, g.cases AS requests, g.hours,
            CASE WHEN g.sees_all THEN g.cases ELSE 0 END AS visible
        FROM _case_groups_in_view AS g
        UNION ALL
        SELECT o.case_type, 0, 0, o.cases
        FROM _cases_seen_one_by_one AS o
    ) AS t
    GROUP BY t.case_type
),
cases_by_month AS (
    -- Support requests in view per month opened and type, counted whole, visible or not.
    SELECT CAST(date_trunc('month', g.day) AS DATE) AS month, g.case_type,
        CAST(sum(g.cases) AS BIGINT) AS requests, coalesce(sum(g.hours), 0) AS hours
    FROM _case_groups_in_view AS g
    GROUP BY 1, 2
),
deliveries_in_view AS (
    -- Deliveries of the entitlements of the packages in view, dated in the date range.
    SELECT d.delivery_id, d.entitlement_id, e.category, e.kind, e.name AS entitlement,
        p.package_id, p.name AS package_name, p.contract_number, d.date, d.title, d.quantity,
        d.hours_delivered, d.status, d.delivered_by
    FROM raw.deliveries AS d
    JOIN _entitlements AS e ON e.entitlement_id = d.entitlement_id
    JOIN packages_in_view AS p ON p.package_id = e.package_id
    WHERE ($date_from IS NULL OR d.date >= $date_from)
        AND ($date_to IS NULL OR d.date <= $date_to)
),
_viewer_delivery_days AS (
    -- The deliveries of the packages of the contracts the viewer may see rolled up per
    -- entitlement, day and status, whatever the dates: what totals read.
    SELECT d.entitlement_id, e.category, e.kind, e.name AS entitlement, e.purchased,
        p.package_id, p.name AS package_name, p.contract_number, d.day, d.status, d.deliveries,
        d.quantity, d.hours_delivered, p.contract_id, p.workspace_id, p.status AS package_status
    FROM raw.delivery_days AS d
    JOIN _viewer_entitlements AS e ON e.entitlement_id = d.entitlement_id
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
),
_delivery_days_of_view AS (
    -- The same for the packages in view.
    SELECT d.* EXCLUDE (contract_id, workspace_id, package_status)
    FROM _viewer_delivery_days AS d
    WHERE raw.is_package_in_view(
        d.workspace_id, d.contract_id, d.package_id, d.package_status, $workspaces, $contract,
        $package, $status
    )
),
credit_days AS (
    -- The same for the credits entitlements, whatever the dates: a balance counts every
    -- redemption before it, in the date range or not.
    SELECT d.*
    FROM _delivery_days_of_view AS d
    WHERE d.category = 'credits' AND d.kind = 'consumable'
),
delivery_days_in_view AS (
    -- The deliveries' days in the date range.
    SELECT d.*
    FROM _delivery_days_of_view AS d
    WHERE ($date_from IS NULL OR d.day >= $date_from)
        AND ($date_to IS NULL OR d.day <= $date_to)
),
proactive_list_days AS (
    -- For the list of the first $row_limit proactive deliveries in view of the status
    -- $delivery_status (null: any), the days it needs, counted on the roll-up: no day before
    -- the first or after the last with one of them; newest first, from the latest day from
    -- which on there are at least $row_limit of them; scheduled ones, soonest first, up to the
    -- earliest day up to which there are. With a search ($search), every day with one of them.
    SELECT
        coalesce(
            max(d.day) FILTER (
                WHERE NOT d.soonest_first AND d.newest_seen >= $row_limit AND len($search) = 0
            ),
            min(d.day),
            DATE '0001-01-01'
        ) AS since,
        coalesce(
            min(d.day) FILTER (
                WHERE d.soonest_first AND d.soonest_seen >= $row_limit AND len($search) = 0
            ),
            max(d.day),
            DATE '9999-12-31'
        ) AS until
    FROM (
        SELECT g.day, coalesce($delivery_status = 'scheduled', false) AS soonest_first,
            sum(sum(g.deliveries)) OVER (ORDER BY g.day DESC) AS newest_seen,
            sum(sum(g.deliveries)) OVER (ORDER BY g.day) AS soonest_seen
        FROM delivery_days_in_view AS g
        WHERE g.category = 'proactive'
            AND ($delivery_status IS NULL OR g.status = $delivery_status)
        GROUP BY g.day
    ) AS d
),
proactive_list AS (
    -- The proactive deliveries in view in the date range of the status $delivery_status (null:
    -- any) that the list's search ($search; empty: every delivery) finds by number or title,
    -- on the days that the first $row_limit need (proactive_list_days) only.
    SELECT d.*
    FROM deliveries_in_view AS d
    WHERE d.category = 'proactive'
        AND ($delivery_status IS NULL OR d.status = $delivery_status)
        AND raw.is_found(d.delivery_id, d.title, $search)
        AND d.date BETWEEN (SELECT n.since FROM proactive_list_days AS n)
            AND (SELECT n.until FROM proactive_list_days AS n)
),
_viewer_enrollments AS (
    -- Enrollments of the entitlements of the packages of the contracts the viewer may see,
    -- whenever enrolled. The learner's name and e-mail are null unless the viewer may see
    -- learners where the contract is mapped (customer admins, its workspace admins,
    -- training_manager holders there).
    SELECT n.enrollment_id, n.entitlement_id, e.name AS entitlement, e.kind, p.package_id,
        p.name AS package_name, p.contract_number, p.workspace_id, n.course, n.status,
        n.enrolled_on, n.completed_on,
        coalesce(w.sees_learners, v.is_customer_admin) AS learner_shown,
        CASE WHEN coalesce(w.sees_learners, v.is_customer_admin) THEN n.learner_name END
            AS learner_name,
        CASE WHEN coalesce(w.sees_learners, v.is_customer_admin) THEN n.learner_email END
            AS learner_email,
        p.contract_id, p.status AS package_status
    FROM raw.enrollments AS n
    JOIN _viewer_entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
    LEFT JOIN openable_workspaces AS w ON w.workspace_id = p.workspace_id
    CROSS JOIN viewer AS v
),
_enrollments_of_view AS (
    -- The same for the packages in view.
    SELECT n.* EXCLUDE (contract_id, package_status)
    FROM _viewer_enrollments AS n
    WHERE raw.is_package_in_view(
        n.workspace_id, n.contract_id, n.package_id, n.package_status, $workspaces, $contract,
        $package, $status
    )
),
enrollments_in_view AS (
    -- The same, enrolled in the date range.
    SELECT n.*
    FROM _enrollments_of_view AS n
    WHERE ($date_from IS NULL OR n.enrolled_on >= $date_from)
        AND ($date_to IS NULL OR n.enrolled_on <= $date_to)
),
contacts_in_view AS (
    -- The named support contacts of the entitlements of the packages in view, whenever added.
    SELECT t.contact_id, t.entitlement_id, e.name AS entitlement, p.package_id,
        p.name AS package_name, p.contract_number, t.name, t.email, t.user_id, t.added_on,
        t.removed_on, t.removed_on IS NULL OR t.removed_on > $as_of AS counted
    FROM raw.contacts AS t
    JOIN _entitlements AS e ON e.entitlement_id = t.entitlement_id
    JOIN packages_in_view AS p ON p.package_id = e.package_id
),
assessments_in_view AS (
    -- The assessments of the entitlements of the packages in view: those started in the date
    -- range, and those not started yet.
    SELECT a.assessment_id, a.entitlement_id, e.name AS entitlement, p.package_id,
        p.name AS package_name, p.contract_number, a.name, a.technology, a.status, a.started_on,
        a.completed_on, a.status <> 'cancelled' AS counted
    FROM raw.assessments AS a
    JOIN _entitlements AS e ON e.entitlement_id = a.entitlement_id
    JOIN packages_in_view AS p ON p.package_id = e.package_id
    WHERE a.started_on IS NULL
        OR (
            ($date_from IS NULL OR a.started_on >= $date_from)
            AND ($date_to IS NULL OR a.started_on <= $date_to)
        )
),
credit_ledger AS (
    -- Every delivery against the credits entitlements of the packages in view, dated in the date
    -- range, with the balance after it: purchased less everything redeemed up to and including
    -- it, whole term, before the date range too (the running total is computed with the
    -- dataset: raw.credit_redemptions).
    SELECT d.delivery_id, d.entitlement_id, e.name AS entitlement, p.package_id,
        p.name AS package_name, p.contract_number, e.purchased, d.date, d.title, d.status,
        d.quantity, d.redeemed_to_date
    FROM raw.credit_redemptions AS d
    JOIN _entitlements AS e ON e.entitlement_id = d.entitlement_id
    JOIN packages_in_view AS p ON p.package_id = e.package_id
    WHERE ($date_from IS NULL OR d.date >= $date_from)
        AND ($date_to IS NULL OR d.date <= $date_to)
),
additional_case_reasons AS (
    -- The visible additional cases in view per reason they have, rolled up by group (a case
    -- with two reasons counts under each): cases and hours.
    SELECT g.service_code, g.cases, g.hours, 'expired_contract' AS reason
    FROM visible_case_groups AS g WHERE g.expired_contract
    UNION ALL
    SELECT g.service_code, g.cases, g.hours, 'no_entitlement'
    FROM visible_case_groups AS g WHERE g.no_entitlement
    UNION ALL
    SELECT g.service_code, g.cases, g.hours, 'special_service'
    FROM visible_case_groups AS g WHERE g.special_service
    UNION ALL
    SELECT g.service_code, g.cases, g.hours, 'unmapped_contract'
    FROM visible_case_groups AS g WHERE g.unmapped_contract
),
case_visibility AS (
    -- How many cases are in view, and how many of them the viewer's permissions hide.
    SELECT CAST(t.in_view AS BIGINT) AS in_view, CAST(t.visible AS BIGINT) AS visible,
        CAST(t.in_view - t.visible AS BIGINT) AS hidden
    FROM (
        SELECT
            (SELECT coalesce(sum(g.cases), 0) FROM _case_groups_in_view AS g) AS in_view,
            (SELECT coalesce(sum(g.cases), 0) FROM visible_case_groups AS g) AS visible
    ) AS t
)