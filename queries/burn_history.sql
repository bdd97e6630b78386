-- The consumption of one entitlement ($entitlement) per day it was used, whole term, for its
-- burn-down chart.
SELECT b.day, b.amount
FROM burn_history AS b
ORDER BY b.day
