-- Enterprise-wide consumption by category and unit: the consumable entitlements of the active
-- enterprise packages of the active contracts in view, summed over the whole term. One
-- contract's unused quantity never hides another's overage: remaining sums what is left of the
-- entitlements not overdrawn (0 when every one is; null when none has a purchased quantity),
-- overage what the overdrawn ones went past theirs (0 when none). Entitlements with no
-- purchased quantity count in used and scheduled, not in purchased, remaining or overage; how
-- much of used and scheduled is theirs is given apart, so that utilisation leaves it out and a
-- chart can draw it apart.
SELECT f.category, f.unit,
    sum(f.purchased) AS purchased,
    sum(f.used) AS used,
    sum(f.scheduled) AS scheduled,
    sum(CASE WHEN f.remaining >= 0 THEN f.remaining WHEN f.remaining < 0 THEN 0 END)
        AS remaining,
    CASE
        WHEN sum(f.purchased) <> 0
            THEN (sum(f.used) - coalesce(sum(f.used) FILTER (WHERE f.purchased IS NULL), 0))
                / sum(f.purchased)
    END AS utilisation,
    coalesce(sum(-f.remaining) FILTER (WHERE f.remaining < 0), 0) AS overage,
    count(*) AS entitlements,
    coalesce(sum(f.used) FILTER (WHERE f.purchased IS NULL), 0) AS used_without_limit,
    coalesce(sum(f.scheduled) FILTER (WHERE f.purchased IS NULL), 0) AS scheduled_without_limit
FROM enterprise_figures AS f
GROUP BY f.category, f.unit
ORDER BY f.category, f.unit
