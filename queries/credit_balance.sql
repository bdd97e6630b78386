-- The balance of each proactive credits entitlement in view at the end of every day on which
-- credits were redeemed, whole term whatever the dates: purchased less everything redeemed up to
-- that day. One row per entitlement and day, however many deliveries the day had: what the
-- balance chart draws.
SELECT l.entitlement_id, l.day AS date, l.redemptions, l.quantity,
    l.purchased - sum(l.quantity) OVER (
        PARTITION BY l.entitlement_id ORDER BY l.day
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS balance
FROM (
    SELECT d.entitlement_id, d.day, any_value(d.purchased) AS purchased,
        sum(d.deliveries) AS redemptions, sum(d.quantity) AS quantity
    FROM credit_days AS d
    WHERE d.status = 'delivered'
    GROUP BY d.entitlement_id, d.day
) AS l
ORDER BY l.entitlement_id, l.day
