"""The failure lab (sandbox only): make the simulator fail on purpose and watch the page recover.
routes.py serves the page and its actions; simulator_admin.py is the simulator's admin API client."""
