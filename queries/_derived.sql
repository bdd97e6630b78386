-- Derived tables the runner builds in memory when it opens a dataset, before any query runs.
--
-- The usage tables hold millions of rows, but every total and every chart over time needs them
-- only per entitlement and day: these roll them up once, so that a page's queries read
-- thousands of rows instead of millions. Lists of single rows still read raw.cases and
-- raw.deliveries. Days are UTC days, like every date in the layer.
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

CREATE TABLE raw.case_groups AS
SELECT c.workspace_id, c.contract_id, c.entitlement_id, CAST(c.created_at AS DATE) AS day,
    c.case_type, c.service_code, count(*) AS cases, sum(c.hours) AS hours
FROM raw.cases AS c
GROUP BY ALL;
