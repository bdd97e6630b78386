-- The user whose e-mail address is $email (compared without regard to case), for signing in.
SELECT d.user_id, d.display_name, d.customer_name
FROM directory AS d
WHERE lower(d.email) = lower($email)
ORDER BY d.user_id
