-- Renewal planning: each consumable entitlement's burn rate over the trailing window, when it
-- runs out at that rate and what it leaves unused (the renewal forecast, which pace and sizing
-- read too); and this term against the previous one over the same share of its days (the
-- term comparison).
_burn AS (
    -- Each forecastable entitlement's burn window: the trailing burn_window_days() days up to
    -- the as-of day, or the days since its package started when that is shorter; and what was
    -- used in it.
    SELECT f.entitlement_id,
        least(burn_window_days(), CAST($as_of - f.start_date AS INTEGER) + 1) AS window_days,
        (
            SELECT coalesce(sum(u.amount), 0) FROM _viewer_consumption_events AS u
            WHERE u.entitlement_id = f.entitlement_id
                AND u.day > $as_of - INTERVAL (burn_window_days()) DAY AND u.day <= $as_of
                AND u.day >= f.start_date
        ) AS used_in_window,
        (
            -- the squares of what was used each day, summed: with used_in_window and
            -- window_days, the spread of the daily burn (days without use count as 0)
            SELECT coalesce(sum(d.amount * d.amount), 0)
            FROM (
                SELECT sum(u.amount) AS amount FROM _viewer_consumption_events AS u
                WHERE u.entitlement_id = f.entitlement_id
                    AND u.day > $as_of - INTERVAL (burn_window_days()) DAY AND u.day <= $as_of
                    AND u.day >= f.start_date
                GROUP BY u.day
            ) AS d
        ) AS squares_in_window
    FROM _viewer_entitlement_figures AS f
    WHERE f.kind = 'consumable' AND f.purchased IS NOT NULL AND f.category <> 'contacts'
        AND f.start_date <= $as_of
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
        f.workspace_id, f.status,
        k.burn_per_day_low, k.burn_per_day_high,
        CASE
            WHEN k.burn_per_day_high IS NULL THEN NULL
            WHEN f.remaining <= 0 THEN $as_of
            ELSE CAST($as_of + CAST(ceil(f.remaining / k.burn_per_day_high) AS INTEGER) AS DATE)
        END AS exhaustion_low_date,
        CASE
            WHEN k.burn_per_day_high IS NULL THEN NULL
            WHEN f.remaining <= 0 THEN $as_of
            -- never at the slow end (or not for ten years, past any date worth writing)
            WHEN k.burn_per_day_low <= 0 OR f.remaining / k.burn_per_day_low > 3650 THEN NULL
            ELSE CAST($as_of + CAST(ceil(f.remaining / k.burn_per_day_low) AS INTEGER) AS DATE)
        END AS exhaustion_high_date
    FROM _viewer_entitlement_figures AS f
    JOIN _burn AS b ON b.entitlement_id = f.entitlement_id
    LEFT JOIN _usage_events AS n ON n.entitlement_id = f.entitlement_id
    CROSS JOIN LATERAL (
        -- The forecast band, an 80% range of the burn rate: the mean daily use over the window
        -- (burn_per_day) less and plus band_z() standard errors, the standard deviation of the
        -- daily amounts (days without use as 0) over the square root of the window's days;
        -- run-out dates projected at each end. The uncertainty of a pace measured over so many
        -- days, not the spread of single days: lumpy use (a 20-hour case, then weeks of
        -- nothing) has a 10th percentile day of 0, which would say "never" of every such
        -- entitlement. None under band_least_days() of history, with no use in the window, or
        -- expired.
        SELECT
            CASE WHEN s.banded THEN greatest(s.mean - band_z() * s.error, 0) END
                AS burn_per_day_low,
            CASE WHEN s.banded THEN s.mean + band_z() * s.error END AS burn_per_day_high
        FROM (
            SELECT b.used_in_window / b.window_days AS mean,
                sqrt(greatest(
                    b.squares_in_window - b.used_in_window * b.used_in_window / b.window_days, 0
                ) / nullif(b.window_days - 1, 0) / b.window_days) AS error,
                f.end_date >= $as_of AND b.window_days >= band_least_days() AND b.used_in_window > 0
                    AS banded
        ) AS s
    ) AS k
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
)
