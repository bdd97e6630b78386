-- The named support contacts in view, who was added and removed when; `counted` says whether
-- the contact counts against the number allowed on the as-of day.
SELECT c.name, c.email, c.added_on, c.removed_on, c.counted, c.entitlement, c.package_name,
    c.contract_number, c.user_id, c.contact_id
FROM contacts_in_view AS c
ORDER BY c.counted DESC, c.added_on, c.name
