-- How many support requests are in view, how many the viewer sees and how many are hidden by
-- the viewer's permissions; `shared`: how many of those the viewer sees they see only because
-- they were shared with them (case_shares), counted on the roll-ups like the others.
SELECT v.in_view, v.visible, v.hidden,
    (SELECT CAST(coalesce(sum(g.cases), 0) AS BIGINT) FROM visible_case_groups AS g WHERE g.shared)
        AS shared
FROM case_visibility AS v
