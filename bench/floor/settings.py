"""The floor's settings: one app, no middleware; the rest is the application's own.

The database connection comes from `aftersales.settings`, which reads DATABASE_URL the same way
for both (CONN_MAX_AGE and health checks on PostgreSQL; WAL, the busy timeout and IMMEDIATE
transactions on SQLite), and so do the values `aftersales serve` reads (DEBUG, SECRET_KEY,
REQUEST_TIMEOUT): both servers run with the same settings but for what the floor leaves out.
"""

from aftersales import settings as app

BASE_DIR = app.BASE_DIR
VAR_DIR = app.VAR_DIR
DEBUG = app.DEBUG
DEVELOPMENT_SECRET_KEY = app.DEVELOPMENT_SECRET_KEY
SECRET_KEY_FILE = app.SECRET_KEY_FILE
SECRET_KEY = app.SECRET_KEY
ALLOWED_HOSTS = app.ALLOWED_HOSTS
DATABASES = app.DATABASES
DEFAULT_AUTO_FIELD = app.DEFAULT_AUTO_FIELD
REQUEST_TIMEOUT = app.REQUEST_TIMEOUT
TIME_ZONE = app.TIME_ZONE
USE_TZ = True
LOGGING = app.LOGGING

INSTALLED_APPS = ["bench.floor"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.floor.urls"
WSGI_APPLICATION = None  # Django's own WSGI handler
USE_I18N = False
LANGUAGE_CODE = "en"
