"""Who the user is: the host's own login form, the signed-in user on every request, and the
server-side sessions (the cookie holds only an id) that local and EAS sign-ins share."""
