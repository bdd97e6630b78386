-- This term against the previous one, like for like: for each contract in view active on the
-- as-of day that renews another the viewer may see, purchased and used per category and unit
-- this term so far (`term_elapsed`: the share of its term gone by), against what the previous
-- term had used over the same share of its days (up to `previous_compared_to`), and the change
-- between the two; the previous term's use over its whole term apart. An upcoming contract is
-- never this term.
SELECT t.contract_number, t.previous_contract_number, t.category, t.unit, t.term_elapsed,
    t.purchased_this_term, t.used_this_term, t.previous_compared_to,
    t.used_previous_term_same_share,
    t.used_this_term - coalesce(t.used_previous_term_same_share, 0) AS change_in_use,
    t.purchased_previous_term, t.used_previous_term, t.contract_id
FROM term_comparison AS t
ORDER BY t.contract_number, t.category, t.unit
