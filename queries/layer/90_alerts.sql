-- Alerts: what needs attention in the viewer's scope, an alert a row, each rule stated once
-- here (the thresholds are macros of queries/_derived.sql). Read from the expressions in view,
-- so a customer user's alerts are those of the workspaces they can open, and an account
-- manager's those of the customer picked or, with none picked, of every customer they serve.
-- The rules are listed in queries/alerts.sql's header.
_alert_usage AS (
    -- The consumable entitlements with a purchased quantity above 0 of the active packages in
    -- view that have used at least nearly_used_share() of it, each at the highest share
    -- reached (`share`). A benefit and an unlimited entitlement have no purchased figure.
    SELECT f.contract_id, f.contract_number, f.package_id, f.package_name, f.entitlement_id,
        f.name, f.unit, f.purchased, f.used, f.days_left,
        CASE
            WHEN round(f.used / f.purchased, 6) >= fully_used_share() THEN fully_used_share()
            ELSE nearly_used_share()
        END AS share
    FROM entitlement_figures AS f
    WHERE f.kind = 'consumable' AND f.status = 'active' AND f.purchased > 0
        AND round(f.used / f.purchased, 6) >= nearly_used_share()
),
_alert_usage_since AS (
    -- The day each of those reached its share: the first day on which its dated consumption,
    -- summed in order, came to it. Null when the dated rows never do (named contacts, a
    -- headcount, have none; an assessment not started has no day).
    SELECT r.entitlement_id, min(r.day) FILTER (WHERE round(r.to_date / r.purchased, 6) >= r.share)
        AS since
    FROM (
        SELECT u.entitlement_id, u.day, a.purchased, a.share,
            sum(u.amount) OVER (
                PARTITION BY u.entitlement_id ORDER BY u.day
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) AS to_date
        FROM _dated_usage AS u
        JOIN _alert_usage AS a ON a.entitlement_id = u.entitlement_id
    ) AS r
    GROUP BY r.entitlement_id
),
_alert_forecast AS (
    -- The renewal forecast of the packages in view with its status, as Renewal planning says it.
    SELECT f.contract_id, f.contract_number, f.package_id, f.package_name, f.entitlement_id,
        f.name, f.unit, f.purchased, f.remaining, f.end_date, f.days_left,
        f.projected_exhaustion_date, f.projected_unused_at_expiry,
        forecast_status(
            f.end_date, f.projected_exhaustion_date, f.projected_unused_at_expiry, f.purchased,
            $as_of
        ) AS status
    FROM renewal_forecast AS f
),
_alert_rows AS (
    -- Every alert, by rule: its kind (a stable code), the contract, package and entitlement
    -- it is about, what triggered it in words (`figure`), the day it became true when that is
    -- known (`since`), the days left of what ends, and the page that explains it with the
    -- filters of its link (the customer is added by the app for an account manager).
    SELECT 'used_' || CAST(round(a.share * 100) AS INTEGER) AS alert_kind, a.contract_id,
        a.contract_number, a.package_id, a.package_name, a.entitlement_id, a.name AS entitlement,
        amount_text(a.used) || ' of ' || amount_text(a.purchased) || ' ' || a.unit || ' used ('
            || CAST(floor(round(a.used / a.purchased, 6) * 100) AS INTEGER) || '%)' AS figure,
        s.since, a.days_left, 'renewal' AS page,
        'contract=' || url_encode(a.contract_id) || '&package=' || url_encode(a.package_id)
            AS link,
        -- the figure's parts, for the app to write it in the reader's language
        CAST(a.used AS DOUBLE) AS figure_amount, CAST(a.purchased AS DOUBLE) AS figure_of,
        a.unit AS figure_unit,
        CAST(floor(round(a.used / a.purchased, 6) * 100) AS INTEGER) AS figure_share,
        CAST(NULL AS DATE) AS figure_day, CAST(NULL AS DATE) AS figure_ends,
        CAST(NULL AS BIGINT) AS figure_cases
    FROM _alert_usage AS a
    LEFT JOIN _alert_usage_since AS s ON s.entitlement_id = a.entitlement_id
    UNION ALL
    SELECT 'runs_out_before_end', f.contract_id, f.contract_number, f.package_id,
        f.package_name, f.entitlement_id, f.name,
        CASE
            WHEN f.remaining < 0
                THEN amount_text(-f.remaining) || ' ' || f.unit
                    || ' over what was purchased, scheduled included'
            WHEN f.remaining = 0 THEN 'none left, scheduled included'
            ELSE 'forecast to run out on ' || day_text(f.projected_exhaustion_date)
        END || '; package ends ' || day_text(f.end_date),
        NULL, f.days_left, 'renewal',
        'contract=' || url_encode(f.contract_id) || '&package=' || url_encode(f.package_id),
        -- over by (above 0), none left (0) or left (below 0: runs out on figure_day)
        CAST(-f.remaining AS DOUBLE), NULL, f.unit, NULL, f.projected_exhaustion_date,
        f.end_date, NULL
    FROM _alert_forecast AS f
    WHERE f.status = 'will run out before expiry'
    UNION ALL
    SELECT 'unused_over_' || CAST(round(unused_share() * 100) AS INTEGER), f.contract_id,
        f.contract_number, f.package_id, f.package_name, f.entitlement_id, f.name,
        amount_text(f.projected_unused_at_expiry) || ' of ' || amount_text(f.purchased) || ' '
            || f.unit || ' forecast unused ('
            || CAST(floor(f.projected_unused_at_expiry / f.purchased * 100) AS INTEGER)
            || '%); package ends ' || day_text(f.end_date) || ', '
            || f.days_left || ' days',
        NULL, f.days_left, 'renewal',
        'contract=' || url_encode(f.contract_id) || '&package=' || url_encode(f.package_id),
        CAST(f.projected_unused_at_expiry AS DOUBLE), CAST(f.purchased AS DOUBLE), f.unit,
        CAST(floor(f.projected_unused_at_expiry / f.purchased * 100) AS INTEGER), NULL,
        f.end_date, NULL
    FROM _alert_forecast AS f
    WHERE f.status = 'will leave unused' AND f.days_left < expiring_soon_days()
    UNION ALL
    SELECT 'contract_ends_' || e.within, c.contract_id, c.contract_number, NULL, NULL, NULL,
        NULL,
        'ends ' || day_text(c.end_date) || ', ' || c.days_left || ' days',
        CAST(c.end_date - e.within AS DATE), c.days_left, 'renewal',
        'contract=' || url_encode(c.contract_id), NULL, NULL, NULL, NULL, NULL, c.end_date, NULL
    FROM contracts_in_view AS c
    CROSS JOIN LATERAL (
        SELECT list_min(list_filter(alert_ending_days(), lambda d: c.days_left <= d)) AS within
    ) AS e
    -- a contract renewed by another (renews_contract_id) goes on: it does not alert
    WHERE c.state = 'active' AND NOT c.renewed AND e.within IS NOT NULL
    UNION ALL
    SELECT 'package_ends_' || e.within, p.contract_id, p.contract_number, p.package_id, p.name,
        NULL, NULL,
        'ends ' || day_text(p.end_date) || ', ' || p.days_left || ' days',
        CAST(p.end_date - e.within AS DATE), p.days_left, 'renewal',
        'contract=' || url_encode(p.contract_id) || '&package=' || url_encode(p.package_id),
        NULL, NULL, NULL, NULL, NULL, p.end_date, NULL
    FROM packages_in_view AS p
    CROSS JOIN LATERAL (
        SELECT list_min(list_filter(alert_ending_days(), lambda d: p.days_left <= d)) AS within
    ) AS e
    WHERE p.status = 'active' AND e.within IS NOT NULL
),
_alert_cases AS (
    -- Per customer, the additional cases in view the viewer may see raised in the last
    -- recent_case_days(), the as-of day included: how many, and the first day with one.
    SELECT w.customer_id, CAST(sum(g.cases) AS BIGINT) AS cases, min(g.day) AS since,
        CAST($as_of - (recent_case_days() - 1) AS DATE) AS first_day
    FROM additional_case_groups AS g
    JOIN openable_workspaces AS w ON w.workspace_id = g.workspace_id
    WHERE g.day BETWEEN CAST($as_of - (recent_case_days() - 1) AS DATE) AND $as_of
    GROUP BY w.customer_id
),
alerts_in_view AS (
    -- Every alert with its customer and severity: `high` (rank 1) when something has run out
    -- or will before its end, or a contract ends unrenewed within the nearest threshold;
    -- `medium` (2) when it is close to that or money is at stake (used past the first share,
    -- much left unused near the end, a contract within the middle threshold, a package within
    -- the nearest, additional cases this week); `low` (3) for ends to plan for.
    SELECT CASE
            WHEN a.alert_kind IN (k.used_full, 'runs_out_before_end', k.contract_nearest)
                THEN 'high'
            WHEN a.alert_kind IN (k.used_near, k.unused, k.contract_middle, k.package_nearest,
                k.cases) THEN 'medium'
            ELSE 'low'
        END AS severity,
        a.alert_kind, c.customer_id, v.customer_name, a.contract_id, a.contract_number,
        a.package_id, a.package_name, a.entitlement_id, a.entitlement, a.figure, a.since,
        a.days_left, a.page, a.link, a.figure_amount, a.figure_of, a.figure_unit,
        a.figure_share, a.figure_day, a.figure_ends, a.figure_cases
    FROM _alert_rows AS a
    JOIN contracts_in_view AS c ON c.contract_id = a.contract_id
    JOIN viewer AS v ON v.customer_id = c.customer_id
    CROSS JOIN (
        SELECT 'used_' || CAST(round(fully_used_share() * 100) AS INTEGER) AS used_full,
            'used_' || CAST(round(nearly_used_share() * 100) AS INTEGER) AS used_near,
            'unused_over_' || CAST(round(unused_share() * 100) AS INTEGER) AS unused,
            'contract_ends_' || alert_ending_days()[1] AS contract_nearest,
            'contract_ends_' || alert_ending_days()[2] AS contract_middle,
            'package_ends_' || alert_ending_days()[1] AS package_nearest,
            'additional_cases_' || recent_case_days() || 'd' AS cases
    ) AS k
    UNION ALL
    SELECT 'medium', 'additional_cases_' || recent_case_days() || 'd', v.customer_id,
        v.customer_name, NULL, NULL, NULL, NULL, NULL, NULL,
        g.cases || CASE WHEN g.cases = 1 THEN ' additional case' ELSE ' additional cases' END
            || ' raised ' || day_text(g.first_day) || ' to '
            || day_text($as_of),
        g.since, NULL, 'additional-cases',
        'from=' || strftime(g.first_day, '%Y-%m-%d') || '&to=' || strftime($as_of, '%Y-%m-%d'),
        NULL, NULL, NULL, NULL, g.first_day, $as_of, g.cases
    FROM _alert_cases AS g
    JOIN viewer AS v ON v.customer_id = g.customer_id
)
