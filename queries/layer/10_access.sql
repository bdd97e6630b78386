-- Who may see what, and nothing else: the viewer, the customers they may open, the roles in
-- effect (imported, and granted or revoked in the app), the workspaces the viewer can open and
-- those in view, those in which they see every case (as an admin, an account manager, with
-- view_all_support_requests, or through a group that may see its cases), the people of the
-- customer, and what admins see to manage access.
-- A reviewer of a permission change reads this file. The files after it start from what it
-- decides; the few rules that belong to one kind of row are applied where that row is made:
-- the contracts a viewer may see (_viewer_contracts, 20_estate.sql), a case they see as its
-- primary contact or because it was shared with them (_visible_case_copies and
-- _viewer_case_groups, 30_cases.sql; visible_cases_by_contract, 50_delivery.sql) and learners'
-- names (_viewer_enrollments and entitlement_activity, 40_consumption.sql).
directory AS (
    -- Everyone who may sign in, with their customer (none for an account manager; for them,
    -- how many customers their assignments active on the as-of day open): for signing in and
    -- the demo mode's user picker only.
    SELECT u.user_id, u.email, u.display_name, u.customer_id, c.name AS customer_name,
        u.is_customer_admin, false AS is_account_manager, 0 AS customers_served
    FROM raw.users AS u
    JOIN raw.customers AS c ON c.customer_id = u.customer_id
    UNION ALL
    SELECT m.user_id, m.email, m.display_name, NULL, NULL, false, true,
        (
            SELECT count(DISTINCT a.customer_id)
            FROM raw.account_assignments AS a
            WHERE a.user_id = m.user_id AND a.start_date <= $as_of
                AND (a.end_date IS NULL OR $as_of <= a.end_date)
        )
    FROM raw.account_managers AS m
),
viewer_person AS (
    -- Who the viewer is, whatever they may open (the no-access page says why they see nothing).
    SELECT d.user_id, d.display_name, d.email, d.is_customer_admin, d.is_account_manager
    FROM directory AS d
    WHERE d.user_id = $viewer
),
_assigned_customers AS (
    -- The customers the viewer may open as an account manager: those of their assignments
    -- active on the as-of day.
    SELECT DISTINCT a.customer_id
    FROM raw.account_assignments AS a
    WHERE a.user_id = $viewer AND a.start_date <= $as_of
        AND (a.end_date IS NULL OR $as_of <= a.end_date)
),
viewer_customers AS (
    -- The customers the viewer may open: a customer user's own; an account manager's assigned.
    SELECT c.customer_id, c.name
    FROM raw.customers AS c
    WHERE c.customer_id IN (SELECT u.customer_id FROM raw.users AS u WHERE u.user_id = $viewer)
        OR (
            c.customer_id IN (SELECT a.customer_id FROM _assigned_customers AS a)
            AND $viewer IN (SELECT m.user_id FROM raw.account_managers AS m)
        )
),
viewer AS (
    -- The viewer, once for each customer in view: a customer user in their own customer (a
    -- $customer of theirs or not changes nothing); an account manager in the customer
    -- $customer if they may open it, or, with none picked, in every customer they may open
    -- (the portfolio; every other page and export picks one first). An account manager is
    -- never a customer admin: they see what one sees but grant nothing (is_admin below).
    SELECT u.user_id, u.customer_id, c.name AS customer_name, u.display_name, u.email,
        u.is_customer_admin, false AS is_account_manager
    FROM raw.users AS u
    JOIN raw.customers AS c ON c.customer_id = u.customer_id
    WHERE u.user_id = $viewer
    UNION ALL
    SELECT m.user_id, c.customer_id, c.name, m.display_name, m.email, false, true
    FROM raw.account_managers AS m
    JOIN viewer_customers AS c ON $customer IS NULL OR c.customer_id = $customer
    WHERE m.user_id = $viewer
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
    -- `is_admin`: the viewer administers the workspace (and may grant roles in it).
    SELECT w.workspace_id, w.name, w.customer_id,
        v.is_customer_admin OR coalesce(m.is_workspace_admin, false) AS is_admin,
        v.is_account_manager
    FROM raw.workspaces AS w
    JOIN viewer AS v ON v.customer_id = w.customer_id
    LEFT JOIN raw.workspace_members AS m
        ON m.workspace_id = w.workspace_id AND m.user_id = v.user_id
),
openable_workspaces AS (
    -- The workspaces in which the viewer can open the dashboard: an account manager every one
    -- of the customers in view, seeing every case but no learner's name.
    SELECT w.workspace_id, w.name, w.customer_id, w.is_admin,
        w.is_account_manager OR coalesce(r.view_all_support_requests, false) AS sees_all_cases,
        w.is_admin OR coalesce(r.training_manager, false) AS sees_learners
    FROM _customer_workspaces AS w
    LEFT JOIN _roles_of_viewer AS r ON r.workspace_id = w.workspace_id
    WHERE w.is_admin OR w.is_account_manager OR coalesce(r.customer_activity, false)
),
workspaces_in_view AS (
    SELECT w.workspace_id, w.name, w.is_admin, w.sees_all_cases, w.sees_learners
    FROM openable_workspaces AS w
    WHERE len($workspaces) = 0 OR list_contains($workspaces, w.workspace_id)
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
    JOIN raw.users AS u ON u.customer_id IN (SELECT v.customer_id FROM viewer AS v)
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
)
