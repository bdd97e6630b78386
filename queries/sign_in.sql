-- The users whose e-mail address is $email, for signing in. $email comes normalised (trimmed,
-- ASCII letters lower-cased) and is compared with each address normalised the same way: never
-- a Unicode fold, which makes the Kelvin sign a "k". More than one row is refused by the caller.
SELECT d.user_id, d.display_name, d.customer_name
FROM directory AS d
WHERE translate(trim(d.email, ' ' || chr(9) || chr(10) || chr(13)),
                'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = $email
ORDER BY d.user_id
