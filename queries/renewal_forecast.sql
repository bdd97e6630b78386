-- The renewal forecast of each consumable entitlement of the packages in view (named contacts
-- aside): burn per day over the trailing 90 days (or since the package started, when shorter),
-- the projected day it runs out, the amount projected unused at expiry, and a status, riskiest
-- first. Status: 'expired'; 'will run out before expiry' when it runs out on or before its end;
-- 'will leave unused' when more than 20% of purchased is projected unused; else 'on track'.
SELECT r.entitlement_id, r.burn_per_day, r.projected_exhaustion_date,
    r.projected_unused_at_expiry,
    CASE
        WHEN r.end_date < $as_of THEN 'expired'
        WHEN r.projected_exhaustion_date <= r.end_date THEN 'will run out before expiry'
        WHEN r.projected_unused_at_expiry > unused_share() * r.purchased THEN 'will leave unused'
        ELSE 'on track'
    END AS status,
    r.days_left, r.contract_number, r.package_name, r.name, r.category, r.unit, r.purchased,
    r.used, r.scheduled, r.remaining, r.window_days, r.used_in_window, r.start_date, r.end_date,
    r.contract_id, r.package_id
FROM renewal_forecast AS r
ORDER BY
    CASE
        WHEN r.end_date < $as_of THEN 3
        WHEN r.projected_exhaustion_date <= r.end_date THEN 0
        WHEN r.projected_unused_at_expiry > unused_share() * r.purchased THEN 1
        ELSE 2
    END,
    r.projected_exhaustion_date, r.days_left, r.contract_number, r.name
