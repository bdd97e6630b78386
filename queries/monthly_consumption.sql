-- Enterprise-wide consumption per month in the date range, by category and unit: the same
-- entitlements as enterprise_consumption (named contacts, a headcount, are not a flow and are
-- left out).
SELECT CAST(date_trunc('month', e.day) AS DATE) AS month, e.category, e.unit,
    sum(e.amount) AS amount
FROM consumption_events AS e
WHERE e.entitlement_id IN (SELECT f.entitlement_id FROM enterprise_figures AS f)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
