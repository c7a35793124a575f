"""Scale tests: real gunicorn processes sharing a real redis-server (the persistent_redis fixture
of tests/conftest.py) or one SQLite file; each test is marked multiprocess."""
