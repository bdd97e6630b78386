-- Pace and sizing of each forecast entitlement: utilisation against the share of the term
-- elapsed (ahead of or behind an even burn), and a suggested quantity for the next term from
-- the term's average pace: used so far ÷ days elapsed (from the package's start to the as-of
-- day, both included, at most the term's length) × the days of a term of the same length,
-- rounded up; beside it, the same from the last 90 days' pace (or since the package started,
-- when shorter). With under 30 days of the term elapsed or fewer than 3 rows of consumption
-- counted as used, there is too little history: no suggestion, and `no_suggestion_reason` says
-- why.
SELECT r.entitlement_id, r.contract_number, r.package_name, r.name, r.unit, r.purchased, r.used,
    r.utilisation, r.term_elapsed, r.utilisation - r.term_elapsed AS pace,
    CASE
        WHEN r.utilisation - r.term_elapsed > 0.1 THEN 'ahead of an even burn'
        WHEN r.utilisation - r.term_elapsed < -0.1 THEN 'behind an even burn'
        ELSE 'about even'
    END AS pace_note,
    r.days_elapsed, r.term_days, r.usage_events,
    r.used / r.days_elapsed AS average_per_day,
    CASE
        WHEN r.days_elapsed >= 30 AND r.usage_events >= 3
            THEN CAST(ceil(round(r.used * r.term_days / r.days_elapsed, 6)) AS INTEGER)
    END AS suggested_next_term,
    r.burn_per_day, r.window_days, r.used_in_window,
    CASE
        WHEN r.days_elapsed >= 30 AND r.usage_events >= 3
            THEN CAST(ceil(round(r.used_in_window * r.term_days / r.window_days, 6)) AS INTEGER)
    END AS suggested_from_last_90_days,
    CASE
        WHEN r.days_elapsed < 30
            THEN 'too little history: ' || r.days_elapsed
                || CASE WHEN r.days_elapsed = 1 THEN ' day' ELSE ' days' END
                || ' of the term elapsed, under 30'
        WHEN r.usage_events < 3
            THEN 'too little history: ' || r.usage_events
                || CASE WHEN r.usage_events = 1 THEN ' usage event' ELSE ' usage events' END
                || ', under 3'
    END AS no_suggestion_reason
FROM renewal_forecast AS r
WHERE r.end_date >= $as_of
ORDER BY r.utilisation - r.term_elapsed DESC, r.contract_number, r.name
