"""Flask extensions, created once and initialised by the app factory."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
