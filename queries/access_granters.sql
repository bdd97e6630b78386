-- The people who can grant the viewer access to the dashboard, and where.
SELECT g.display_name, g.email, g.grants_in
FROM granters AS g
ORDER BY g.grants_in <> 'every workspace (customer admin)', g.grants_in, g.display_name
