-- The entitlements behind enterprise_consumption, one row each: the consumable entitlements of
-- the active enterprise packages of the active contracts in view, with used, scheduled and
-- remaining against purchased over the whole term.
SELECT f.category, f.unit, f.contract_number, f.package_name, f.name AS entitlement,
    f.purchased, f.used, f.scheduled, f.remaining,
    CASE WHEN f.purchased <> 0 THEN f.used / f.purchased END AS utilisation,
    f.end_date, f.days_left, f.entitlement_id, f.package_id, f.contract_id
FROM enterprise_figures AS f
ORDER BY f.category, f.contract_number, f.package_name, f.name
