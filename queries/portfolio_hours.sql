-- Each customer's enterprise hours as the Enterprise-wide page sums them, every workspace
-- (customer_enterprise_hours): the portfolio's chart of hours used against purchased.
SELECT v.customer_id, v.customer_name, 'hours' AS unit,
    coalesce(h.purchased, 0) AS purchased,
    coalesce(h.used, 0) AS used,
    coalesce(h.scheduled, 0) AS scheduled,
    coalesce(h.remaining, 0) AS remaining,
    coalesce(h.overage, 0) AS overage,
    coalesce(h.used_without_limit, 0) AS used_without_limit,
    coalesce(h.scheduled_without_limit, 0) AS scheduled_without_limit
FROM viewer AS v
LEFT JOIN customer_enterprise_hours AS h ON h.customer_id = v.customer_id
ORDER BY v.customer_name, v.customer_id
