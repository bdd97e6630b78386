-- Proof of delivery: what was delivered under the contracts in view, whatever workspace it
-- was raised in (the workspace filter picks contracts here, not cases), listed item by item
-- in a fixed place, and totalled from the roll-ups with how many items the viewer's
-- permissions hide.
visible_cases_by_contract AS (
    -- The cases booked against the contracts in view that the viewer may see, whatever
    -- workspace they were raised in and whatever the package filters say, opened in the date
    -- range: what the lists of what was consumed against a contract list (proof of delivery,
    -- an entitlement's usage history). There the workspace filter picks contracts, not cases.
    -- A case is booked against a contract when it names it, or names no contract and one of
    -- the contract's entitlements. The viewer may see it as any case (_visible_case_copies):
    -- raised in a workspace they can open, where they see every case, or theirs, or shared
    -- with them; case_groups_by_contract counts the others. Read from raw.case_places (by
    -- the contract a case is booked against, and place: with a contract picked, only the cases
    -- booked against it can be, and only their row groups are read), with its place, its
    -- contract's number and its entitlement's package (null when it has no entitlement).
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
    WHERE ($contract IS NULL OR c.booked_contract_id = $contract)
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
    -- them (raw.booked_case_groups: totals count all consumption; with a contract picked,
    -- only the row groups of the cases booked against it), how many of them the viewer may
    -- see (_viewer_case_groups) and how many their permissions hide.
    SELECT g.entitlement_id, g.day, g.case_type, CAST(sum(g.cases) AS BIGINT) AS requests,
        coalesce(sum(g.hours), 0) AS hours, CAST(sum(g.visible) AS BIGINT) AS visible,
        CAST(sum(g.cases) - sum(g.visible) AS BIGINT) AS hidden
    FROM (
        SELECT a.contract_id, a.entitlement_id, a.day, a.case_type, a.cases, a.hours,
            0 AS visible
        FROM raw.booked_case_groups AS a
        WHERE $contract IS NULL OR a.booked_contract_id = $contract
        UNION ALL
        SELECT v.contract_id, v.entitlement_id, v.day, v.case_type, 0, 0, v.cases
        FROM _viewer_case_groups AS v
        WHERE (v.sees_all OR v.seen_one_by_one)
            -- booked against the contract picked: the contract it names, or, naming none, its
            -- entitlement's (known only for the viewer's entitlements, all those in view)
            AND ($contract IS NULL OR coalesce(v.contract_id, v.package_contract_id) = $contract)
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
)
