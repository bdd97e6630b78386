-- Roll-ups and sorted copies of the usage tables, written with every dataset
-- (derived/<name>.parquet, by the import and the generator), and macros the layer uses, made on
-- every connection. A CREATE TABLE is loaded into memory when the runner opens the dataset; a
-- CREATE VIEW is written in its ORDER BY in row groups of 16,384 rows and read from disk.
--
-- The usage tables hold millions of rows, but every total and every chart over time needs them
-- only per entitlement and day: these roll them up once, so that a page's queries read
-- thousands of rows instead of millions. Lists of single rows still read raw.cases (or its
-- newest-first copy) and raw.deliveries. Days are UTC days, like every date in the layer.
CREATE TABLE raw.case_days AS
SELECT c.entitlement_id, CAST(c.created_at AS DATE) AS day, sum(c.hours) AS hours,
    count(*) AS cases
FROM raw.cases AS c
WHERE c.entitlement_id IS NOT NULL
GROUP BY ALL;

CREATE TABLE raw.delivery_days AS
SELECT d.entitlement_id, d.date AS day, d.status, sum(d.quantity) AS quantity,
    sum(d.hours_delivered) AS hours_delivered, count(*) AS deliveries
FROM raw.deliveries AS d
GROUP BY ALL;

-- The cases rolled up per workspace, contract, entitlement, day, type and service: what
-- every case total and chart starts from. Read once per viewer (the layer keeps what it
-- computes from it), so it stays on disk, by workspace: a viewer of one workspace reads its
-- row groups only. Held in memory it took 14 MB at 10M usage rows and was no faster.
CREATE VIEW raw.case_groups AS
SELECT c.workspace_id, c.contract_id, c.entitlement_id, CAST(c.created_at AS DATE) AS day,
    c.case_type, c.service_code, count(*) AS cases, sum(c.hours) AS hours
FROM raw.cases AS c
GROUP BY ALL
ORDER BY ALL;

-- The cases shared with someone, rolled up like case_groups per person shared with (and the
-- case's primary contact): the few cases a viewer sees beyond their own in a workspace where
-- they do not see every case.
CREATE TABLE raw.shared_case_groups AS
SELECT s.user_id, c.primary_contact_id, c.workspace_id, c.contract_id, c.entitlement_id,
    CAST(c.created_at AS DATE) AS day, c.case_type, c.service_code, count(*) AS cases,
    sum(c.hours) AS hours
FROM raw.case_shares AS s
JOIN raw.cases AS c ON c.case_id = s.case_id
GROUP BY ALL;

-- What each consumable entitlement has used and has scheduled over its whole term, from every
-- row of consumption (visible or not, so the same for every viewer): hours of its cases for
-- reactive and advisory entitlements, delivered and scheduled quantities for proactive and
-- credits, enrollments and assessments not cancelled. Named contacts, which count on the
-- as-of day, are counted by the layer. The layer reads a few entitlements' rows of this
-- instead of summing the roll-ups in every query that shows figures.
CREATE TABLE raw.entitlement_usage AS
SELECT c.entitlement_id, sum(c.hours) AS used, 0 AS scheduled
FROM raw.case_days AS c
JOIN raw.entitlements AS e ON e.entitlement_id = c.entitlement_id
WHERE e.kind = 'consumable' AND e.category IN ('reactive', 'advisory')
GROUP BY c.entitlement_id
UNION ALL
SELECT d.entitlement_id,
    coalesce(sum(CASE WHEN d.status = 'delivered' THEN d.quantity END), 0),
    coalesce(sum(CASE WHEN d.status = 'scheduled' THEN d.quantity END), 0)
FROM raw.delivery_days AS d
JOIN raw.entitlements AS e ON e.entitlement_id = d.entitlement_id
WHERE e.kind = 'consumable' AND e.category IN ('proactive', 'credits')
GROUP BY d.entitlement_id
UNION ALL
SELECT n.entitlement_id, count(*), 0
FROM raw.enrollments AS n
JOIN raw.entitlements AS e ON e.entitlement_id = n.entitlement_id
WHERE e.kind = 'consumable' AND e.category = 'education' AND n.status <> 'cancelled'
GROUP BY n.entitlement_id
UNION ALL
SELECT a.entitlement_id, count(*), 0
FROM raw.assessments AS a
JOIN raw.entitlements AS e ON e.entitlement_id = a.entitlement_id
WHERE e.kind = 'consumable' AND e.category = 'assessments' AND a.status <> 'cancelled'
GROUP BY a.entitlement_id;

-- Every dated row of consumption of each consumable entitlement, whole term, with its day (cases
-- and deliveries rolled up per day, enrollments and assessments one by one): what consumption
-- over time is drawn from and burn rates are measured on. Named contacts, a headcount, have
-- none.
CREATE TABLE raw.dated_usage AS
SELECT c.day, c.entitlement_id, c.hours AS amount
FROM raw.case_days AS c
JOIN raw.entitlements AS e ON e.entitlement_id = c.entitlement_id
WHERE e.kind = 'consumable' AND e.category IN ('reactive', 'advisory')
UNION ALL
SELECT d.day, d.entitlement_id, d.quantity
FROM raw.delivery_days AS d
JOIN raw.entitlements AS e ON e.entitlement_id = d.entitlement_id
WHERE e.kind = 'consumable' AND e.category IN ('proactive', 'credits')
    AND d.status = 'delivered'
UNION ALL
SELECT n.enrolled_on, n.entitlement_id, 1
FROM raw.enrollments AS n
JOIN raw.entitlements AS e ON e.entitlement_id = n.entitlement_id
WHERE e.kind = 'consumable' AND e.category = 'education' AND n.status <> 'cancelled'
UNION ALL
SELECT coalesce(a.started_on, a.completed_on), a.entitlement_id, 1
FROM raw.assessments AS a
JOIN raw.entitlements AS e ON e.entitlement_id = a.entitlement_id
WHERE e.kind = 'consumable' AND e.category = 'assessments' AND a.status <> 'cancelled'
    AND coalesce(a.started_on, a.completed_on) IS NOT NULL;

-- The data contract's rules as numbers and codes, defined once for SQL: every query and the
-- layer read them from here (dashboard/rules.py holds the same for the pages' text, and
-- tests/test_rules.py checks that they agree). Not in `raw`: they read no table, and the query
-- files, which may not name `raw`, read them too.
-- A contract or package is expiring soon when 0 <= days_left <= expiring_soon_days().
CREATE MACRO expiring_soon_days() AS 90;

-- The renewal forecast's burn rate is measured over the trailing burn_window_days() up to the
-- as-of day (or since the package started, when that is shorter).
CREATE MACRO burn_window_days() AS 90;

-- The renewal forecast says "will leave unused" when more than this share of what was
-- purchased is projected unused at expiry.
CREATE MACRO unused_share() AS 0.2;

-- The renewal forecast's band is an 80% range of the burn rate: the mean daily use less and
-- plus band_z() standard errors (the normal distribution's 90th percentile), drawn only with at
-- least band_least_days() days of history in the window.
CREATE MACRO band_z() AS 1.2816;
CREATE MACRO band_least_days() AS 30;

-- An entitlement's renewal forecast in a word: 'expired'; 'will run out before expiry' when it
-- is projected to run out on or before its end; 'will leave unused' when more than
-- unused_share() of what was purchased is projected unused at expiry; else 'on track'.
CREATE MACRO forecast_status(end_date, exhaustion_date, unused, purchased, as_of) AS
    CASE
        WHEN end_date < as_of THEN 'expired'
        WHEN exhaustion_date <= end_date THEN 'will run out before expiry'
        WHEN unused > unused_share() * purchased THEN 'will leave unused'
        ELSE 'on track'
    END;

-- The alerts' thresholds (queries/layer/90_alerts.sql). An entitlement alerts when what it
-- used reaches nearly_used_share() of what was purchased, and again, instead, at
-- fully_used_share(); a contract or package ending alerts within each of alert_ending_days()
-- (nearest first; the widest is expiring soon's); additional cases alert over the last
-- recent_case_days(), the as-of day included.
CREATE MACRO nearly_used_share() AS 0.9;

CREATE MACRO fully_used_share() AS 1.0;

CREATE MACRO alert_ending_days() AS [30, 60, expiring_soon_days()];

CREATE MACRO recent_case_days() AS 7;

-- A day as the pages write it, for an alert's text: 23 Dec 2026.
CREATE MACRO day_text(day) AS strftime(day, '%-d %b %Y');

-- An amount as the pages write it, for an alert's text: 12, 39.5, 1,250.
CREATE MACRO amount_text(value) AS
    regexp_replace(format('{:,.1f}', CAST(value AS DOUBLE)), '\.0$', '');

-- A case of one of these services is additional (reason `special_service`).
CREATE MACRO special_service_codes() AS ['SU', 'DSA', 'X85', 'REC'];

CREATE MACRO is_special_service(service_code) AS
    list_contains(special_service_codes(), service_code);

-- Whether a case (or a roll-up of cases) is additional under the contract and has one of the
-- reasons in `reasons` (empty: any) and the service `service` (null: any).
CREATE MACRO raw.is_picked_additional(
    no_entitlement, expired_contract, unmapped_contract, special_service, service_code, reasons,
    service
) AS (no_entitlement OR expired_contract OR unmapped_contract OR special_service)
    AND (
        len(reasons) = 0
        OR (expired_contract AND list_contains(reasons, 'expired_contract'))
        OR (no_entitlement AND list_contains(reasons, 'no_entitlement'))
        OR (special_service AND list_contains(reasons, 'special_service'))
        OR (unmapped_contract AND list_contains(reasons, 'unmapped_contract'))
    )
    AND (service IS NULL OR service_code = service);

-- Whether a row of a table kept per viewer (a `_viewer_` expression of the layer) is in view:
-- its contract is mapped to one of the workspaces picked (`workspaces`; empty: every workspace
-- the viewer can open, and a customer admin's contracts mapped to none), and is the contract
-- picked (`contract`; null: any). The same test as contracts_in_view's, one row at a time.
CREATE MACRO raw.is_in_view(workspace_id, contract_id, workspaces, contract) AS
    (len(workspaces) = 0 OR list_contains(workspaces, workspace_id))
    AND (contract IS NULL OR contract_id = contract);

-- The same for a row of a package's (of its entitlements, their deliveries, enrollments or
-- forecast): in view, and the package picked (`package`; null: any) of the status picked
-- (`picked_status`: 'active', 'inactive' or 'all'). The same test as packages_in_view's.
CREATE MACRO raw.is_package_in_view(
    workspace_id, contract_id, package_id, status, workspaces, contract, package, picked_status
) AS raw.is_in_view(workspace_id, contract_id, workspaces, contract)
    AND (package IS NULL OR package_id = package)
    AND (picked_status = 'all' OR status = picked_status);

-- Whether a row of a list is found by the list's search `words` (the words typed; empty: every
-- row): its reference is the one word typed (as typed, or in upper or lower case), or its text
-- holds each of the first six words, wherever, in any case. Six tests written out: a test per
-- word of the list (a lambda) took 15 times as long.
CREATE MACRO raw.is_found(reference, text, words) AS
    len(words) = 0
    OR len(words) = 1 AND reference IN (words[1], upper(words[1]), lower(words[1]))
    OR (len(words) < 1 OR contains(lower(text), lower(words[1])))
    AND (len(words) < 2 OR contains(lower(text), lower(words[2])))
    AND (len(words) < 3 OR contains(lower(text), lower(words[3])))
    AND (len(words) < 4 OR contains(lower(text), lower(words[4])))
    AND (len(words) < 5 OR contains(lower(text), lower(words[5])))
    AND (len(words) < 6 OR contains(lower(text), lower(words[6])));

-- The cases again, by workspace and then newest first, in small row groups, read from disk (a
-- view, not loaded into memory): the lists of the newest cases read this copy, where DuckDB's
-- top-N skips every row group older than the rows it already holds, so that a page-sized list
-- reads the first row groups of each workspace in view instead of every case in view. By
-- workspace first, so that what a list reads grows with the workspaces in view and not with
-- how rare their cases are among everyone's (sorted by time alone, the newest cases of a
-- small workspace are spread over the whole file). With one contract picked, the cases are
-- read from cases.parquet instead, where that contract's rows lie together.
CREATE VIEW raw.case_list AS
SELECT * FROM raw.cases ORDER BY workspace_id, created_at DESC, case_id;

-- Proof of delivery lists a contract's items by category, day and reference. These two copies
-- hold that order in one column, `place`, and lie on disk by contract and place: the first
-- rows of a contract's list are then read from a row group or two (DuckDB's top-N skips row
-- groups by a single column) instead of every case and delivery of the contract. Categories
-- never begin with another category's name and days are of fixed width, so `place` sorts as
-- (category, day, reference) does. A case is booked against the contract it names, or, naming
-- none, against its entitlement's (`booked_contract_id`; null: neither): the cases lie by that
-- contract, so that those naming none are read with their contract's and not from among every
-- case naming none (a quarter of them, which the list read in full for every contract).
CREATE VIEW raw.case_places AS
SELECT c.*,
    c.case_type || ' ' || CAST(CAST(c.created_at AS DATE) AS VARCHAR) || ' ' || c.case_id
        AS place,
    coalesce(c.contract_id, k.contract_id) AS booked_contract_id
FROM raw.cases AS c
LEFT JOIN raw.entitlements AS e ON e.entitlement_id = c.entitlement_id
LEFT JOIN raw.packages AS k ON k.package_id = e.package_id
ORDER BY booked_contract_id, place;

-- The cases rolled up per contract they are booked against (as in case_places), contract
-- named, entitlement, day and type, on disk by that contract: proof of delivery's totals read
-- one contract's row groups, where raw.case_groups (by workspace) was read whole.
CREATE VIEW raw.booked_case_groups AS
SELECT coalesce(c.contract_id, k.contract_id) AS booked_contract_id, c.contract_id,
    c.entitlement_id, CAST(c.created_at AS DATE) AS day, c.case_type, count(*) AS cases,
    sum(c.hours) AS hours
FROM raw.cases AS c
LEFT JOIN raw.entitlements AS e ON e.entitlement_id = c.entitlement_id
LEFT JOIN raw.packages AS k ON k.package_id = e.package_id
GROUP BY ALL
ORDER BY ALL;

-- The deliveries proof of delivery lists (delivered, of consumable proactive and credits
-- entitlements), with their contract, category and unit, placed like the cases.
CREATE VIEW raw.delivery_places AS
SELECT d.delivery_id, d.entitlement_id, d.date, d.title, d.quantity, d.hours_delivered,
    k.contract_id, e.category, e.unit,
    e.category || ' ' || CAST(d.date AS VARCHAR) || ' ' || d.delivery_id AS place
FROM raw.deliveries AS d
JOIN raw.entitlements AS e ON e.entitlement_id = d.entitlement_id
JOIN raw.packages AS k ON k.package_id = e.package_id
WHERE d.status = 'delivered' AND e.kind = 'consumable' AND e.category IN ('proactive', 'credits')
ORDER BY k.contract_id, place;

-- The cases rolled up like case_groups per primary contact, on disk sorted by contact: where a
-- viewer sees only the cases they are the contact of, those are read from a row group or two
-- instead of scanning every case's contact.
CREATE VIEW raw.contact_case_groups AS
SELECT c.primary_contact_id, c.workspace_id, c.contract_id, c.entitlement_id,
    CAST(c.created_at AS DATE) AS day, c.case_type, c.service_code, count(*) AS cases,
    sum(c.hours) AS hours
FROM raw.cases AS c
GROUP BY ALL
ORDER BY ALL;

-- Every delivery against a credits entitlement with what was redeemed of it up to and including
-- that delivery (delivered ones count; by day, then delivery): the credit ledger's running
-- total, whole term, computed once instead of a window over every credits delivery in view
-- at every query. On disk by entitlement and day.
CREATE VIEW raw.credit_redemptions AS
SELECT d.delivery_id, d.entitlement_id, d.date, d.title, d.status, d.quantity,
    sum(CASE WHEN d.status = 'delivered' THEN d.quantity ELSE 0 END) OVER (
        PARTITION BY d.entitlement_id ORDER BY d.date, d.delivery_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS redeemed_to_date
FROM raw.deliveries AS d
JOIN raw.entitlements AS e ON e.entitlement_id = d.entitlement_id
WHERE e.category = 'credits' AND e.kind = 'consumable'
ORDER BY d.entitlement_id, d.date, d.delivery_id;
