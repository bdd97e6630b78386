-- Pace and sizing of each forecast entitlement: utilisation against the share of the term
-- elapsed (ahead of or behind an even burn), and a suggested quantity for the next term: the
-- trailing burn per day times the days of a term of the same length, rounded up.
SELECT r.entitlement_id, r.contract_number, r.package_name, r.name, r.unit, r.purchased, r.used,
    r.utilisation, r.term_elapsed, r.utilisation - r.term_elapsed AS pace,
    CASE
        WHEN r.utilisation - r.term_elapsed > 0.1 THEN 'ahead of an even burn'
        WHEN r.utilisation - r.term_elapsed < -0.1 THEN 'behind an even burn'
        ELSE 'about even'
    END AS pace_note,
    r.burn_per_day, r.term_days,
    CAST(ceil(r.burn_per_day * r.term_days) AS INTEGER) AS suggested_next_term,
    r.window_days, r.used_in_window
FROM renewal_forecast AS r
WHERE r.end_date >= $as_of
ORDER BY r.utilisation - r.term_elapsed DESC, r.contract_number, r.name
