# Read by `flask run` (python-dotenv). Settings and secrets go in .env (see .env.example).
FLASK_APP=app:create_app
