-- Alerts: what needs attention in the viewer's scope, an alert a row (a customer user: the
-- workspaces they can open; an account manager: the customer picked, or every customer they
-- serve when none is picked), newest risk first: by severity (high, medium, low), then the
-- day it became true, newest first (unknown last), then the fewest days left. The rules
-- (queries/layer/90_alerts.sql; the numbers are macros of queries/_derived.sql):
-- - used_90, used_100: a consumable entitlement with a purchased quantity above 0, of an
--   active package, has used at least 90% (100%) of it (used / purchased, as utilisation);
--   one alert, at the higher share reached. A benefit or an unlimited entitlement never
--   alerts on a share. `since`: the day its dated consumption reached that share.
-- - runs_out_before_end: its renewal forecast says "will run out before expiry".
-- - unused_over_20: its renewal forecast says "will leave unused" (more than 20% of what was
--   purchased projected unused at its end) and its package has under 90 days left.
-- - contract_ends_30, _60, _90: an active contract not renewed by another (no contract names
--   it in renews_contract_id) ends within 30, 60 or 90 days (0 <= days_left), one alert at the
--   nearest; `since`: the day it came within that many days.
-- - package_ends_30, _60, _90: the same for an active package, whether or not its contract
--   is renewed.
-- - additional_cases_7d: the additional cases the viewer may see raised in the last 7 days,
--   the as-of day included: one alert per customer with the count; `since`: the first day
--   with one.
-- Severity: high for used_100, runs_out_before_end and contract_ends_30; medium for used_90,
-- unused_over_20, contract_ends_60, package_ends_30 and additional_cases_7d; low for
-- contract_ends_90, package_ends_60 and package_ends_90. `page` and `link` are the page that
-- explains the alert and the filters of its link (an account manager's link adds the
-- customer). The sidebar's filters narrow the alerts as they narrow every page. `figure` says
-- in English what triggered the alert; the figure_ columns are its parts, which the app words
-- in the reader's language (dashboard/text.py alert_figure).
SELECT a.severity, a.alert_kind, a.customer_id, a.customer_name, a.contract_number,
    a.package_name AS package, a.entitlement, a.figure, a.since, a.days_left, a.page, a.link,
    a.contract_id, a.package_id, a.entitlement_id,
    CASE a.severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END AS severity_rank,
    a.figure_amount, a.figure_of, a.figure_unit, a.figure_share, a.figure_day, a.figure_ends,
    a.figure_cases
FROM alerts_in_view AS a
ORDER BY severity_rank, a.since DESC NULLS LAST, a.days_left NULLS LAST, a.customer_name,
    a.customer_id, a.contract_number, a.package_name NULLS FIRST, a.entitlement NULLS FIRST,
    a.alert_kind
