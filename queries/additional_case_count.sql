-- How many visible additional cases in view have one of the reasons $reasons (empty: any) and
-- the service $service (null: any): the length of the additional_cases list.
SELECT CAST(coalesce(sum(g.cases), 0) AS BIGINT) AS cases
FROM picked_additional_case_groups AS g
