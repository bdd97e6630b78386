-- Each entitlement of the packages in view with used, scheduled and remaining against purchased
-- over the whole term (null for benefits), and its package's status, end date and days left.
SELECT f.contract_id, f.package_id, f.package_name, f.scope, f.status, f.end_date, f.days_left,
    f.entitlement_id, f.category, f.name, f.kind, f.unit, f.purchased, f.used, f.scheduled,
    f.remaining, f.utilisation, f.contract_number, f.package_state, f.expiring_soon, f.start_date,
    f.description, f.action_url
FROM entitlement_figures AS f
ORDER BY f.contract_number, f.scope DESC, f.end_date, f.package_name, f.category, f.name
