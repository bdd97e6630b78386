-- The renewal forecast of each consumable entitlement of the packages in view (named contacts
-- aside): burn per day over the trailing 90 days (or since the package started, when shorter),
-- the projected day it runs out, the amount projected unused at expiry, and a status
-- (forecast_status in _derived.sql), riskiest first: will run out, will leave unused, on
-- track, expired. Last, the forecast band: the earliest and latest run-out at the two ends of
-- the burn rate's 80% range, and those ends (see _viewer_renewal_forecast).
SELECT f.*
FROM (
    SELECT r.entitlement_id, r.burn_per_day, r.projected_exhaustion_date,
        r.projected_unused_at_expiry,
        forecast_status(
            r.end_date, r.projected_exhaustion_date, r.projected_unused_at_expiry, r.purchased,
            $as_of
        ) AS status,
        r.days_left, r.contract_number, r.package_name, r.name, r.category, r.unit, r.purchased,
        r.used, r.scheduled, r.remaining, r.window_days, r.used_in_window, r.start_date,
        r.end_date, r.contract_id, r.package_id, r.exhaustion_low_date, r.exhaustion_high_date,
        r.burn_per_day_low, r.burn_per_day_high
    FROM renewal_forecast AS r
) AS f
ORDER BY
    CASE f.status
        WHEN 'will run out before expiry' THEN 0
        WHEN 'will leave unused' THEN 1
        WHEN 'on track' THEN 2
        ELSE 3
    END,
    f.projected_exhaustion_date, f.days_left, f.contract_number, f.name
