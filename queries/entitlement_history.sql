-- The usage history of one entitlement ($entitlement) of the packages in view, newest first:
-- support requests the viewer may see, deliveries, enrollments, named contacts, assessments.
SELECT a.day, a.record, a.record_id, a.title, a.person, a.status, a.amount, a.hours_delivered,
    a.counts
FROM entitlement_activity AS a
ORDER BY a.day DESC NULLS LAST, a.record_id
