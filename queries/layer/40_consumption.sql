-- What was used, row by row and per day: dated consumption (consumption over time, burn
-- history), deliveries and their days, the credits ledger, enrollments, named contacts,
-- assessments, and the detail rows of one entitlement.
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
_dated_usage AS (
    -- The same, day, entitlement and amount: what the burn rate is measured on.
    SELECT e.day, e.entitlement_id, e.amount
    FROM _consumption_events_of_view AS e
),
burn_history AS (
    -- The dated consumption of the entitlement $entitlement (of the packages in view) per day.
    SELECT u.day, sum(u.amount) AS amount
    FROM _dated_usage AS u
    WHERE u.entitlement_id = $entitlement
        AND u.entitlement_id IN (SELECT f.entitlement_id FROM entitlement_figures AS f)
    GROUP BY u.day
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
_viewer_enrollments AS (
    -- Enrollments of the entitlements of the packages of the contracts the viewer may see,
    -- whenever enrolled. The learner's name and e-mail are null unless the viewer may see
    -- learners where the contract is mapped (customer admins, its workspace admins,
    -- training_manager holders there).
    SELECT n.enrollment_id, n.entitlement_id, e.name AS entitlement, e.kind, p.package_id,
        p.name AS package_name, p.contract_number, p.workspace_id, n.course, n.status,
        n.enrolled_on, n.completed_on,
        coalesce(w.sees_learners, k.is_customer_admin) AS learner_shown,
        CASE WHEN coalesce(w.sees_learners, k.is_customer_admin) THEN n.learner_name END
            AS learner_name,
        CASE WHEN coalesce(w.sees_learners, k.is_customer_admin) THEN n.learner_email END
            AS learner_email,
        p.contract_id, p.status AS package_status
    FROM raw.enrollments AS n
    JOIN _viewer_entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN _viewer_packages AS p ON p.package_id = e.package_id
    LEFT JOIN openable_workspaces AS w ON w.workspace_id = p.workspace_id
    JOIN _contracts AS k ON k.contract_id = p.contract_id
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
        CASE WHEN coalesce(w.sees_learners, k.is_customer_admin) THEN n.learner_name END,
        n.status, 1, NULL, CASE WHEN n.status <> 'cancelled' THEN 1 ELSE 0 END
    FROM raw.enrollments AS n
    JOIN _entitlements AS e ON e.entitlement_id = n.entitlement_id
    JOIN packages_of_contracts AS p ON p.package_id = e.package_id
    LEFT JOIN openable_workspaces AS w ON w.workspace_id = p.workspace_id
    JOIN _contracts AS k ON k.contract_id = p.contract_id
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
)
