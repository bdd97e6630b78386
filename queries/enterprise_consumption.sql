-- Enterprise-wide consumption by category and unit: the consumable entitlements of the active
-- enterprise packages of the active contracts in view, summed over the whole term. Entitlements
-- with no purchased quantity count in used and scheduled, not in purchased or remaining.
SELECT f.category, f.unit,
    sum(f.purchased) AS purchased,
    sum(f.used) AS used,
    sum(f.scheduled) AS scheduled,
    sum(f.remaining) AS remaining,
    CASE WHEN sum(f.purchased) <> 0 THEN sum(f.used) / sum(f.purchased) END AS utilisation,
    count(*) AS entitlements
FROM enterprise_figures AS f
GROUP BY f.category, f.unit
ORDER BY f.category, f.unit
