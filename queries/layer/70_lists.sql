-- Lists cut to a page: the days the first rows of a long list need, counted on a roll-up, so
-- that the list reads those days' rows only.
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
)
