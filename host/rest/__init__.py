"""Tableau's REST API on the signed-in user's behalf: the "My content" page (routes.py), the JWT
sign-in and calls through tableauserverclient (client.py), the session kept server-side."""
