-- The usage history of one entitlement ($entitlement) of the packages in view, newest first:
-- support requests booked against it that the viewer may see, whatever workspace they were
-- raised in (the workspace filter picks contracts here, not cases; entitlement_history_hidden
-- counts the others), deliveries, enrollments, named contacts, assessments.
SELECT a.day, a.record, a.record_id, a.title, a.person, a.status, a.amount, a.hours_delivered,
    a.counts
FROM (
    SELECT a.day, a.record, a.record_id, a.title, a.person, a.status, a.amount,
        a.hours_delivered, a.counts
    FROM entitlement_activity AS a
    WHERE a.record <> 'support request'
    UNION ALL
    SELECT CAST(c.created_at AS DATE), 'support request', c.case_id, c.title, p.display_name,
        c.status, c.hours, CAST(NULL AS DOUBLE), 1
    FROM visible_cases_by_contract AS c
    LEFT JOIN customer_people AS p ON p.user_id = c.primary_contact_id
    WHERE c.entitlement_id = $entitlement
) AS a
ORDER BY a.day DESC NULLS LAST, a.record_id
