-- Support requests: the cases in view and those the viewer may see (one by one, from the copy
-- each kind of reader needs), their roll-ups per day for totals and charts, how many the
-- viewer's permissions hide, and the additional cases with their reasons.
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
        SELECT * EXCLUDE (booked_contract_id), 'case_places' AS copy FROM raw.case_places
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
        is_special_service(c.service_code) AS special_service,
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
_case_groups_seen AS (
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
        is_special_service(v.service_code) AS special_service
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
_viewer_case_groups AS (
    -- The same, kept per viewer: what every page's case figures start from.
    SELECT * FROM _case_groups_seen
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
case_visibility AS (
    -- How many cases are in view, and how many of them the viewer's permissions hide.
    SELECT CAST(t.in_view AS BIGINT) AS in_view, CAST(t.visible AS BIGINT) AS visible,
        CAST(t.in_view - t.visible AS BIGINT) AS hidden
    FROM (
        SELECT
            (SELECT coalesce(sum(g.cases), 0) FROM _case_groups_in_view AS g) AS in_view,
            (SELECT coalesce(sum(g.cases), 0) FROM visible_case_groups AS g) AS visible
    ) AS t
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
)
