-- Enterprise-wide consumption by category and unit: the consumable entitlements of the active
-- enterprise packages of the active contracts in view, summed over the whole term. Entitlements
-- with no purchased quantity count in used and scheduled, not in purchased or remaining; how
-- much of used and scheduled is theirs is given apart, so that a chart can draw it apart.
SELECT f.category, f.unit,
    sum(f.purchased) AS purchased,
    sum(f.used) AS used,
    sum(f.scheduled) AS scheduled,
    sum(f.remaining) AS remaining,
    CASE WHEN sum(f.purchased) <> 0 THEN sum(f.used) / sum(f.purchased) END AS utilisation,
    count(*) AS entitlements,
    coalesce(sum(f.used) FILTER (WHERE f.purchased IS NULL), 0) AS used_without_limit,
    coalesce(sum(f.scheduled) FILTER (WHERE f.purchased IS NULL), 0) AS scheduled_without_limit
FROM enterprise_figures AS f
GROUP BY f.category, f.unit
ORDER BY f.category, f.unit
