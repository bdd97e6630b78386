-- Every package of the contracts in view (the package filter's choices), with state and days left.
SELECT p.package_id, p.contract_id, p.contract_number, p.name, p.scope, p.start_date, p.end_date,
    p.state, p.status, p.days_left, p.expiring_soon
FROM packages_of_contracts AS p
ORDER BY p.contract_number, p.scope DESC, p.end_date, p.name
